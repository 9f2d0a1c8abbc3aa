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
    @inline(__always)
    static func foldedASCII(
        _ text: UnsafeBufferPointer<UInt8>, into scratch: UnsafeMutableBufferPointer<UInt8>
    ) -> UnsafeBufferPointer<UInt8>? {
        guard text.count <= scratch.count, TextPattern.isASCII(text) else { return nil }
        for index in 0..<text.count { scratch[index] = TextPattern.lower(text[index]) }
        return UnsafeBufferPointer(start: scratch.baseAddress, count: text.count)
    }

    /// ASCII bytes folded; nil when any byte is not ASCII (such a case-sensitive literal is not indexed).
    static func foldedASCII(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return bytes.map(TextPattern.lower)
    }
}
