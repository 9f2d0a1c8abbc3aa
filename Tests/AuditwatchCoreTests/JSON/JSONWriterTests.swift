import Testing

@testable import AuditwatchCore

/// The alert writer's integers, spelt without a `String`, against `String(value)`.
@Suite("Integers written as bytes spell what String(value) spells")
struct JSONWriterTests {
    private static func written(_ value: Int64) -> String {
        var output: [UInt8] = Array("x".utf8)
        JSONWriter.appendInteger(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test(
        "edges: zero, signs, every power of ten and its neighbours, the extremes",
        arguments: [Int64.min, Int64.min + 1, -1, 0, 1, 9, 10, Int64.max - 1, Int64.max]
            + (0...18).flatMap { exponent -> [Int64] in
                let power = (0..<exponent).reduce(Int64(1)) { product, _ in product * 10 }
                return [power - 1, power, power + 1, -power]
            })
    func edges(value: Int64) {
        #expect(Self.written(value) == "x" + String(value))
    }

    @Test("10,000 generated values of every length")
    func generated() {
        var random = EventGenerator.Random(state: 7)
        for _ in 0..<10_000 {
            let value = Int64(bitPattern: random.next()) >> Int64.random(in: 0..<64, using: &random)
            #expect(Self.written(value) == "x" + String(value))
        }
    }
}
