/// Every form a secret can take in text we did not write: a target or API that echoes it back
/// may quote it raw, JSON-escaped (`\/hooks\/…`, `\u002f`), percent-encoded, or as the Base64
/// of a URL's `user:password` (a Basic authorization header). Redaction looks for all of them.
public enum SecretForms {
    /// The forms of `secret` (and, for a URL, of its path, query and credentials), longest
    /// first so a whole value is replaced before its parts. Parts shorter than 4 are skipped.
    public static func variants(of secret: String) -> [String] {
        var parts = [secret]
        if let schemeEnd = secret.firstRange(of: "://") {
            let rest = secret[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userInfo = String(authority[..<at])
                parts.append(userInfo)
                parts.append(Base64.encode(Array(userInfo.utf8)))
                if let colon = userInfo.firstIndex(of: ":") {
                    parts.append(String(userInfo[userInfo.index(after: colon)...]))
                }
            }
            let tail = String(rest[authorityEnd...])
            if tail.count > 1 { parts.append(tail) }
            if let query = tail.firstIndex(of: "?") { parts.append(String(tail[query...])) }
        }
        var forms: [String] = []
        for part in parts where part.count >= 4 {
            forms.append(part)
            forms.append(Base64.encode(Array(part.utf8)))
            let json = jsonEscaped(part)
            forms.append(json)
            forms.append(json.replacingSlashes(with: "\\/"))
            forms.append(part.replacingSlashes(with: "\\/"))
            forms.append(part.replacingSlashes(with: "\\u002f"))
            forms.append(part.replacingSlashes(with: "\\u002F"))
            forms.append(percentEncoded(part, uppercase: true))
            forms.append(percentEncoded(part, uppercase: false))
        }
        var seen = Set<String>()
        return forms.filter { $0.count >= 4 && seen.insert($0).inserted }.sorted { $0.count > $1.count }
    }

    /// `text` with every form of every secret in `secrets` replaced by `<redacted>`.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var output = text
        for needle in secrets.flatMap(variants(of:)).sorted(by: { $0.count > $1.count }) where output.contains(needle) {
            output = output.replacingAll(needle, with: "<redacted>")
        }
        return output
    }

    /// The JSON string body (no quotes) of `text`.
    static func jsonEscaped(_ text: String) -> String { String(JSONWriter.quoted(text).dropFirst().dropLast()) }

    /// Every byte outside `A-Za-z0-9-._~` as `%XX`.
    static func percentEncoded(_ text: String, uppercase: Bool) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: uppercase)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}

extension String {
    func replacingSlashes(with replacement: String) -> String {
        var output = ""
        for character in self { if character == "/" { output += replacement } else { output.append(character) } }
        return output
    }

    /// Every occurrence of `needle` replaced, left to right (no Foundation in the core).
    func replacingAll(_ needle: String, with replacement: String) -> String {
        guard !needle.isEmpty else { return self }
        var output = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: needle) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
