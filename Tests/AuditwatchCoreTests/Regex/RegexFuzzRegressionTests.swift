import AuditwatchCore
import Testing

/// Inputs `make fuzz` found in the regex target (all the `i` + character-class trap in
/// `LinearRegex.caseFolded`), fed as the target feeds them: the first byte the options, the rest
/// (decoded as UTF-8, invalid bytes replaced) the pattern, matched against its own text.
@Suite struct RegexFuzzRegressionTests {
    static let findings: [[UInt8]] = [
        [0x43, 0x6C, 0x6F, 0x73, 0x65, 0x5C, 0x64],  // i+m+s, "lose\d"
        [0xFF, 0x5C, 0x64, 0xFF, 0xFF, 0x6C, 0xFF, 0xFF, 0x3A, 0x6D],  // \d among invalid UTF-8
        [0x91, 0x91, 0x91, 0x2A, 0x5C, 0x53, 0x72],  // \S after a replaced byte
        [0x07, 0x5C, 0x53, 0xFF, 0xDC, 0xD8, 0x7B],  // \S, then a lone '{'
    ]

    @Test(arguments: findings)
    func compilesOrRefusesAndMatchesWithoutATrap(_ input: [UInt8]) {
        let flags = input[0]
        let pattern = String(decoding: input.dropFirst(), as: UTF8.self)
        let options = LinearRegex.Options(ignoreCase: flags & 1 != 0, multiline: flags & 2 != 0, dotAll: flags & 4 != 0)
        #expect(options.ignoreCase)
        guard let regex = try? LinearRegex(pattern, options: options) else { return }
        let onBytes = Array(pattern.utf8).withUnsafeBufferPointer { regex.matches($0) }
        #expect(regex.matches(pattern) == onBytes)
    }
}
