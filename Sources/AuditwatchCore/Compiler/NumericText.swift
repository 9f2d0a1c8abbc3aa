/// Which event and rule strings count as numbers for `lt`/`lte`/`gt`/`gte` and date parts.
///
/// The grammar is a decimal literal as SQLite reads one into a numeric column (the reference
/// implementation's store): optional surrounding whitespace, a sign, digits with an optional
/// fraction, an optional exponent. Hex (`0x10`), `inf`, `nan` and digit separators are text, so
/// they never compare as numbers (Swift's `Double(_:)` alone would accept the first three).
enum NumericText {
    static func value(_ text: some StringProtocol) -> Double? {
        let bytes = Array(text.utf8)
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        var index = start
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while index < end, isDigit(bytes[index]) { index += 1; digits += 1 }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, isDigit(bytes[index]) { index += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            var exponentDigits = 0
            while index < end, isDigit(bytes[index]) { index += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        guard index == end else { return nil }
        return Double(String(decoding: bytes[start..<end], as: UTF8.self))
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
