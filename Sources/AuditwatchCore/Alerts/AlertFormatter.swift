/// The two output forms of `run`: JSON Lines for machines, one line per alert for people.
public enum AlertFormatter {
    /// One JSON object: `id`, `rule {id, title, level, tags}`, `group`, `count`, `first_at`,
    /// `last_at` (Unix seconds), `events`, `summary`.
    public static func jsonLine(_ alert: Alert) -> String {
        // Built as UTF-8 bytes in one reserved buffer, then made a string once: appending to
        // a `String` piece by piece cost several times more on the full pack's alerts.
        var output: [UInt8] = []
        output.reserveCapacity(256 + alert.summary.utf8.count + alert.eventIDs.count * 40)
        func raw(_ text: StaticString) {
            output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func number(_ value: some BinaryInteger) { JSONWriter.appendInteger(Int64(value), to: &output) }
        raw("{\"id\":")
        JSONWriter.appendString(alert.id, to: &output)
        raw(",\"rule\":{\"id\":")
        JSONWriter.appendString(alert.ruleID, to: &output)
        raw(",\"title\":")
        JSONWriter.appendString(alert.ruleTitle, to: &output)
        raw(",\"level\":")
        JSONWriter.appendString(alert.level.rawValue, to: &output)
        raw(",\"tags\":[")
        for (index, tag) in alert.tags.enumerated() {
            if index > 0 { raw(",") }
            JSONWriter.appendString(tag, to: &output)
        }
        raw("]},\"group\":{")
        for (index, value) in alert.group.enumerated() {
            if index > 0 { raw(",") }
            JSONWriter.appendString(value.field, to: &output)
            raw(":")
            if let text = value.value { JSONWriter.appendString(text, to: &output) } else { raw("null") }
        }
        raw("},\"count\":")
        number(alert.count)
        raw(",\"first_at\":")
        number(alert.firstAt)
        raw(",\"last_at\":")
        number(alert.lastAt)
        raw(",\"events\":[")
        for (index, id) in alert.eventIDs.enumerated() {
            if index > 0 { raw(",") }
            JSONWriter.appendString(id, to: &output)
        }
        raw("],\"summary\":")
        JSONWriter.appendString(alert.summary, to: &output)
        raw(",\"suppressed\":")
        number(alert.suppressed)
        if let source = alert.source {
            raw(",\"source\":")
            JSONWriter.appendString(source, to: &output)
        }
        raw("}")
        return String(decoding: output, as: UTF8.self)
    }

    /// `2024-07-31T21:30:46Z HIGH     rule_id  summary`, control characters made visible.
    public static func textLine(_ alert: Alert) -> String {
        let level = alert.level.rawValue.uppercased()
        let summary = printable(alert.summary)
        var line = UTCTime.iso8601(alert.lastAt)
        line.reserveCapacity(line.utf8.count + 16 + alert.ruleID.utf8.count + summary.utf8.count + 2)
        line += " "
        line += level
        line += String(repeating: " ", count: max(1, 14 - level.count))
        line += alert.ruleID
        line += "  "
        line += summary
        return line
    }

    /// Event text is attacker-controlled: never let it move the cursor, colour a terminal or
    /// reorder what is shown (bidirectional controls and line separators are escaped too).
    public static func printable(_ text: String) -> String {
        if !needsEscaping(text) { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || DeceptiveText.isDeceptive(scalar)
            {
                output += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Whether `text` holds a C0 or C1 control character or DEL (C1 is `C2 80`…`C2 9F` in UTF-8),
    /// or a bidirectional control or line separator (`E2 80`/`E2 81` …).
    private static func needsEscaping(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previous: UInt8 = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte < 0xA0 && byte >= 0x80) { return true }
                if byte == 0xE2 && DeceptiveText.contains(at: index, bytes) { return true }
                previous = byte
            }
            return false
        }
    }
}
