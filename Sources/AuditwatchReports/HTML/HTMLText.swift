import AuditwatchCore

/// Text made safe for an HTML page: every string that came from an event (emails, user agents,
/// project names, summaries) passes through here before it reaches a report.
public enum HTMLText {
    /// Escapes `& < > " '` so the text is inert in element content and in quoted attributes, and
    /// neutralises control and bidirectional characters the way terminal output does, so a name
    /// cannot reorder what a reader sees around it.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in AlertFormatter.printable(text).unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A number with thousands separators (`12,345`), for tables and chart labels.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// One decimal place (`0.4`), for rates in tables.
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
