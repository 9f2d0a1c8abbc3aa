import Testing

@testable import AuditwatchCore

/// The word-at-a-time fold against the byte-at-a-time one it replaced.
@Suite("Folding eight bytes at a time equals folding each byte")
struct FoldedTextTests {
    @Test("every ASCII byte in every lane of a word, beside every other")
    func everyByteEveryLane() {
        for byte in UInt64(0)..<128 {
            for filler in [UInt64(0x00), 0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7F] {
                for lane in 0..<8 {
                    var word: UInt64 = 0
                    for other in 0..<8 { word |= (other == lane ? byte : filler) << UInt64(other * 8) }
                    var expected: UInt64 = 0
                    for other in 0..<8 {
                        let original = UInt8(truncatingIfNeeded: word >> UInt64(other * 8))
                        expected |= UInt64(TextPattern.lower(original)) << UInt64(other * 8)
                    }
                    #expect(FoldedText.lowered(word) == expected, "byte \(byte), filler \(filler), lane \(lane)")
                }
            }
        }
    }

    @Test("texts of each length 0 to 40: ASCII folded as before, a non-ASCII byte at any place refused")
    func texts() {
        let alphabet = Array("AZaz@[`{09 .-_Mixed.Case@Example.COM".utf8)
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 32)
        defer { scratch.deallocate() }
        for length in 0...40 {
            let text = (0..<length).map { alphabet[($0 * 7 + length) % alphabet.count] }
            text.withUnsafeBufferPointer { buffer in
                let folded = FoldedText.foldedASCII(buffer, into: scratch).map(Array.init)
                #expect(folded == (length <= 32 ? text.map(TextPattern.lower) : nil), "length \(length)")
                #expect(FoldedText.with(buffer, scratch: scratch) { Array($0) } == text.map(TextPattern.lower))
            }
            for place in 0..<min(length, 32) {
                var bent = text
                bent[place] = 0xC3
                bent.withUnsafeBufferPointer { buffer in
                    #expect(FoldedText.foldedASCII(buffer, into: scratch) == nil, "length \(length), place \(place)")
                }
            }
        }
    }
}
