/// Writes JSON text: string escaping for output, and re-serialising a parsed subtree.
public enum JSONWriter {
    /// Appends `text` as a JSON string literal, quotes included. Control characters, quotes and
    /// backslashes are escaped, and so are U+2028 and U+2029 so the output is safe in JavaScript too.
    public static func appendString(_ text: String, to output: inout String) {
        // Fast path: nothing to escape (the usual case, non-ASCII text included) is copied whole.
        var contiguous = text
        let plain = contiguous.withUTF8(JSONWriter.needsNoEscaping)
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

    /// Appends `text` as a JSON string literal to UTF-8 `output`, escaped exactly as
    /// `appendString(_:to:)` escapes it; the hot alert writer builds lines this way.
    public static func appendString(_ text: String, to output: inout [UInt8]) {
        var contiguous = text
        contiguous.withUTF8 { bytes in
            output.append(UInt8(ascii: "\""))
            if needsNoEscaping(bytes) {
                output.append(contentsOf: bytes)
            } else {
                appendEscaped(bytes, to: &output)
            }
            output.append(UInt8(ascii: "\""))
        }
    }

    /// Appends the decimal digits of `value`, as `String(value)` spells them, to UTF-8 `output`
    /// without making a string (`String(_:radix:)` cost 650 instructions a number, four an alert).
    public static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // 20 digits hold any UInt64, so any Int64's magnitude.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = digits.count
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                output += [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)],
                ]
            case 0xE2
            where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                output += Array("\\u202".utf8)
                output.append(bytes[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                index += 2
            default:
                output.append(byte)
            }
            index += 1
        }
    }

    /// No control character, quote or backslash, and no U+2028/U+2029 (`E2 80 A8`/`E2 80 A9`).
    private static func needsNoEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
            {
                return false
            }
            index += 1
        }
        return true
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
