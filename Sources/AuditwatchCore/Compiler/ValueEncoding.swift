/// Sigma's value-transforming modifiers: the UTF-16 encoders, `base64`, `base64offset`, `windash`.
enum ValueEncoding {
    enum TextEncoding: String { case utf8, utf16le, utf16be, utf16 }

    /// The bytes of `text` in `encoding` (`utf16` is little-endian with a byte-order mark, as Sigma says).
    static func bytes(_ text: String, _ encoding: TextEncoding) -> [UInt8] {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .utf16le: return text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16be: return text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .utf16: return [0xFF, 0xFE] + bytes(text, .utf16le)
        }
    }

    /// Standard Base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value =
                (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8)
                | UInt32(chunk.count > 2 ? chunk[2] : 0)
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(chunk.count > 1 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            output.append(chunk.count > 2 ? alphabet[Int(value & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The three forms the value takes inside a longer Base64 text, whatever its byte offset
    /// there (Sigma's `base64offset`; the same slicing pySigma uses).
    static func base64Offsets(_ bytes: [UInt8]) -> [String] {
        let startOffsets = [0, 2, 3]
        let endTrims = [0, 3, 2]
        return (0..<3).map { shift in
            let encoded = Array(base64(Array(repeating: UInt8(ascii: " "), count: shift) + bytes))
            let end = encoded.count - endTrims[(bytes.count + shift) % 3]
            let start = startOffsets[shift]
            return start < end ? String(encoded[start..<end]) : ""
        }
    }

    /// Every variant of `text` with each `-` or `/` replaced by any Windows option dash.
    static func windashVariants(_ text: String) -> [String] {
        let dashes: [Character] = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"]
        var variants = [""]
        for character in text {
            if character == "-" || character == "/" {
                variants = variants.flatMap { prefix in dashes.map { prefix + String($0) } }
            } else {
                variants = variants.map { $0 + String(character) }
            }
        }
        return variants
    }
}
