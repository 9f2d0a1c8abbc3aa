/// Writes JSON text: string escaping for output, and re-serialising a parsed subtree.
public enum JSONWriter {
    /// Appends `text` as a JSON string literal, quotes included. Control characters, quotes and
    /// backslashes are escaped, and so are U+2028 and U+2029 so the output is safe in JavaScript too.
    public static func appendString(_ text: String, to output: inout String) {
        // Fast path: plain ASCII with nothing to escape, the usual case, is copied whole.
        var contiguous = text
        let plain = contiguous.withUTF8 { bytes in
            bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        if plain {
            output.append("\"")
            output.append(text)
            output.append("\"")
            return
        }
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{2028}": output.append("\\u2028")
            case "\u{2029}": output.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }

    /// The JSON string literal for `text`.
    public static func quoted(_ text: String) -> String {
        var output = ""
        appendString(text, to: &output)
        return output
    }

    /// Compact JSON text of the subtree at `index` of `document`.
    public static func serialize(_ document: JSONDocument, _ index: Int) -> String {
        var output = ""
        append(document, index, to: &output)
        return output
    }

    private static func append(_ document: JSONDocument, _ index: Int, to output: inout String) {
        switch document.kind(index) {
        case .object:
            output.append("{")
            for (position, member) in document.members(index).enumerated() {
                if position > 0 { output.append(",") }
                appendString(document.text(member.key) ?? "", to: &output)
                output.append(":")
                append(document, member.value, to: &output)
            }
            output.append("}")
        case .array:
            output.append("[")
            for (position, element) in document.elements(index).enumerated() {
                if position > 0 { output.append(",") }
                append(document, element, to: &output)
            }
            output.append("]")
        case .string:
            appendString(document.text(index) ?? "", to: &output)
        case .number, .true, .false, .null:
            output.append(document.text(index) ?? "null")
        }
    }
}
