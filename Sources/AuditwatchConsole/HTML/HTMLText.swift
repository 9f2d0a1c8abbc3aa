import AuditwatchCore

/// Text made safe for an HTML page: every string the console shows that came from an event, a
/// rule or a person goes through `escape`, so markup in it renders as the characters it is.
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities (safe in element text and in quoted attributes);
    /// control, bidirectional and line-separator characters as visible `\u{…}` escapes, so a
    /// value cannot reorder or hide the text around it.
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

    /// A query-string component: unreserved characters as they are, everything else percent-encoded.
    public static func queryComponent(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
