import Foundation
import Testing

@testable import AuditwatchCore

/// The byte reader against `Double(_:)` on the same (grammar-checked) text: the same bits,
/// the sign of zero included, on the fast path and off it.
@Suite("Numeric text read from bytes equals Double(_:) on the same literal")
struct NumericTextTests {
    private static func read(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { NumericText.value($0) }
    }

    private static func expectSame(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let expected = Double(trimmed) else {
            Issue.record("the generator made \(text), which Double(_:) rejects", sourceLocation: sourceLocation)
            return
        }
        let actual = read(text)
        #expect(actual?.bitPattern == expected.bitPattern, "\(text)", sourceLocation: sourceLocation)
    }

    @Test(
        "edges: zeros and their signs, the fast path's bounds, 19 and 20 digits, huge and tiny exponents",
        arguments: [
            "0", "-0", "+0", "0.0", "-0.000", "0e999999", "-0e-5", "00012", "1.", ".5", "-.5", "1e22", "1e23",
            "9007199254740992", "9007199254740993", "9007199254740993e-3", "1e-22", "1e-23", "123456789e-22",
            "1234567890123456789", "12345678901234567890", "1234567890123456789.5", "0.1", "0.3", "2.5e-3",
            "1.7976931348623157e308", "1.8e308", "5e-324", "2e-324", "1e-400", "1e400", "4.9406564584124654e-324",
            " 42 ", "\t-7.25\n", "1E5", "1e+05", "1e-05", "000.000123", "100000000000000000000000",
        ])
    func edges(text: String) {
        Self.expectSame(text)
    }

    @Test("20,000 generated literals: signs, leading zeros, fractions, exponents")
    func generated() {
        var random = EventGenerator.Random(state: 42)
        for _ in 0..<20_000 {
            var text = ""
            switch Int.random(in: 0..<3, using: &random) {
            case 0: text += "-"
            case 1: text += "+"
            default: break
            }
            let integerDigits = Int.random(in: 0..<24, using: &random)
            let fractionDigits = Int.random(in: 0..<24, using: &random)
            if Bool.random(using: &random) {
                text += String(repeating: "0", count: Int.random(in: 0..<4, using: &random))
            }
            for _ in 0..<integerDigits { text += String(Int.random(in: 0..<10, using: &random)) }
            if fractionDigits > 0 || integerDigits == 0 {
                text += "."
                for _ in 0..<max(fractionDigits, integerDigits == 0 ? 1 : 0) {
                    text += String(Int.random(in: 0..<10, using: &random))
                }
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                text += ["e", "E", "e+", "e-", "E-"].randomElement(using: &random)!
                text += String(Int.random(in: 0..<(Bool.random(using: &random) ? 30 : 400), using: &random))
            }
            Self.expectSame(text)
        }
    }

    /// A saturated exponent (at 100,000) once took the fast path when a long run of leading
    /// fraction zeros brought the scale back inside ±22: `0.<99,999 zeros>1e100005` read as 1.
    @Test("leading fraction zeros against a saturated exponent", arguments: [100_001, 100_005, 100_022, 1_000_000])
    func saturatedExponent(exponent: Int) {
        Self.expectSame("0." + String(repeating: "0", count: 99_999) + "1e\(exponent)")
        Self.expectSame("-0." + String(repeating: "0", count: 100_010) + "7e\(exponent)")
    }

    @Test(
        "text outside the grammar is not a number",
        arguments: [
            "", "+", "-", ".", "e5", "1e", "1e+", "0x10", "inf",
            "nan", "1_000", "1.2.3", "--1", "1 2", "١٢",
        ])
    func rejected(text: String) {
        #expect(Self.read(text) == nil)
        #expect(NumericText.value(text) == nil)
    }
}

/// The event generator's SplitMix64, so that every run tests the same literals.
extension EventGenerator.Random: RandomNumberGenerator {}
