/// Which event and rule strings count as numbers for `lt`/`lte`/`gt`/`gte` and date parts.
///
/// The grammar is a decimal literal as SQLite reads one into a numeric column (the reference
/// implementation's store): optional surrounding whitespace, a sign, digits with an optional
/// fraction, an optional exponent. Hex (`0x10`), `inf`, `nan` and digit separators are text, so
/// they never compare as numbers (Swift's `Double(_:)` alone would accept the first three).
enum NumericText {
    /// The number `text` spells, or nil when it is not a decimal literal.
    static func value(_ text: some StringProtocol) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { value($0) }
    }

    /// The number the UTF-8 `bytes` spell, or nil when they are not a decimal literal.
    ///
    /// Read from the bytes, without the two strings and the copy the text route made (3 k
    /// instructions per event on the 1,000 generated rules). A literal of at most 19 significant
    /// digits whose significand is at most 2^53 and whose power of ten is at most 22 in size is
    /// converted exactly (Clinger's fast path: both operands are exact doubles, so the one
    /// multiplication or division rounds correctly, as `strtod` does); any other goes to `Double(_:)`.
    static func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        var index = start
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var significand: UInt64 = 0
        var significantDigits = 0
        var scale = 0
        var truncated = false
        var digits = 0
        func take(_ digit: UInt64, fraction: Bool) {
            digits += 1
            if significand == 0 && digit == 0 {
                if fraction { scale -= 1 }
            } else if significantDigits < 19 {
                significand = significand * 10 + digit
                significantDigits += 1
                if fraction { scale -= 1 }
            } else {
                truncated = true
                if !fraction { scale += 1 }
            }
        }
        while index < end, isDigit(bytes[index]) {
            take(UInt64(bytes[index] &- UInt8(ascii: "0")), fraction: false)
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, isDigit(bytes[index]) {
                take(UInt64(bytes[index] &- UInt8(ascii: "0")), fraction: true)
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while index < end, isDigit(bytes[index]) {
                // Saturated: past any double's range, the slow path decides. A saturated exponent
                // must not reach the fast path: added to the scale of a long run of leading
                // fraction zeros, it could land inside ±22 with the wrong value.
                exponent = min(exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 100_000)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            if exponent == 100_000 { truncated = true }
            scale += exponentNegative ? -exponent : exponent
        }
        guard index == end else { return nil }
        if significand == 0 && !truncated { return negative ? -0.0 : 0.0 }
        if !truncated, significand <= 1 << 53, scale >= -22, scale <= 22 {
            let magnitude =
                scale < 0
                ? Double(significand) / powersOfTen[-scale] : Double(significand) * powersOfTen[scale]
            return negative ? -magnitude : magnitude
        }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// 10^0 … 10^22, each exact as a double.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
