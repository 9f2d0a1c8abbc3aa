/// The case folding the candidate index keys on, the one `TextPattern` applies before it
/// compares a case-insensitive value: ASCII text lowered byte by byte, any other text lowered
/// by Unicode rules (`String.lowercased()`, after the same repair of invalid UTF-8).
///
/// Every case-insensitive pattern that matches a text relates to the folded text exactly as it
/// relates to its own (lowercased) literal; a case-sensitive ASCII literal found in a text is
/// also found, folded, in the folded text (lowering maps each scalar on its own and ASCII to
/// ASCII), which is what makes a key lookup on the folded text a necessary condition.
enum FoldedText {
    /// Calls `body` with `text` folded; ASCII text that fits `scratch` is folded there, without allocating.
    static func with<Result>(
        _ text: UnsafeBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if let folded = foldedASCII(text, into: scratch) { return body(folded) }
        if TextPattern.isASCII(text) { return text.map(TextPattern.lower).withUnsafeBufferPointer(body) }
        let lowered = Array(String(decoding: text, as: UTF8.self).lowercased().utf8)
        return lowered.withUnsafeBufferPointer(body)
    }

    /// ASCII `text` folded into `scratch`; nil when it is not ASCII or does not fit (then `with`
    /// folds it). No closure, so the hot path captures nothing.
    ///
    /// Eight bytes at a time: one load tests them for ASCII and lowers them (a byte in `A`…`Z`
    /// gets bit 5), where the test and the byte loop read the text twice.
    @inline(__always)
    static func foldedASCII(
        _ text: UnsafeBufferPointer<UInt8>, into scratch: UnsafeMutableBufferPointer<UInt8>
    ) -> UnsafeBufferPointer<UInt8>? {
        let count = text.count
        guard count <= scratch.count, let source = text.baseAddress, let target = scratch.baseAddress else {
            return count == 0 ? UnsafeBufferPointer(start: scratch.baseAddress, count: 0) : nil
        }
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            guard word & 0x8080_8080_8080_8080 == 0 else { return nil }
            UnsafeMutableRawPointer(target + index).storeBytes(of: lowered(word), as: UInt64.self)
            index += 8
        }
        while index < count {
            let byte = source[index]
            guard byte < 0x80 else { return nil }
            target[index] = TextPattern.lower(byte)
            index += 1
        }
        return UnsafeBufferPointer(start: target, count: count)
    }

    /// Eight ASCII bytes with `A`…`Z` lowered: a byte of at least `A` carries into bit 7 when
    /// 0x3F is added, one of at least `[` when 0x25 is; no byte below 0x80 carries into the next.
    @inline(__always)
    static func lowered(_ word: UInt64) -> UInt64 {
        let upper = ((word &+ 0x3F3F_3F3F_3F3F_3F3F) ^ (word &+ 0x2525_2525_2525_2525)) & 0x8080_8080_8080_8080
        return word | (upper >> 2)
    }

    /// ASCII bytes folded; nil when any byte is not ASCII (such a case-sensitive literal is not indexed).
    static func foldedASCII(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return bytes.map(TextPattern.lower)
    }
}
