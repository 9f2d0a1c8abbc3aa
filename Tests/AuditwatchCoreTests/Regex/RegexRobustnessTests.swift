import Testing

@testable import AuditwatchCore

@Suite("Any regex input compiles or is refused, and any text is matched, without a trap")
struct RegexRobustnessTests {
    /// Random strings over the metacharacters and escapes the parser branches on.
    private static let pieces: [String] = [
        "(", ")", "[", "]", "{", "}", "*", "+", "?", "|", "^", "$", ".", "\\", "-", ",", ":", "=", "!", "<", ">",
        "'", "#", "P", "i", "m", "s", "x", "a", "z", "0", "1", "9", "\\d", "\\w", "\\s", "\\b", "\\B", "\\x", "\\u",
        "\\x{", "(?", "(?i", "(?-", "(?P<", "[^", "[:", ":]", "{2", "{1,", "{,3}", "é", "ß", "K", "\u{212A}", "\n",
    ]

    @Test("30,000 random patterns: a RegexError or a regex that answers on random texts")
    func randomPatterns() {
        var state: UInt64 = 0x0BAD_5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var compiled = 0
        for _ in 0..<30_000 {
            let pieces = RegexRobustnessTests.pieces
            let pattern = (0..<(1 + next(12))).map { _ in pieces[next(pieces.count)] }.joined()
            guard let regex = try? LinearRegex(pattern, options: .init(ignoreCase: next(2) == 0)) else { continue }
            compiled += 1
            let text = (0..<next(8)).map { _ in ["a", "1", "é", "\n", " ", "K", "_", "{"][next(8)] }.joined()
            _ = regex.matches(text)
        }
        #expect(compiled > 1_500, "only \(compiled) patterns compiled; the generator no longer exercises matching")
    }
}

@Suite("Regex matching from several threads")
struct RegexConcurrencyTests {
    @Test("eight tasks matching one regex at once get the answers one thread gets")
    func concurrentMatches() async throws {
        let regex = try LinearRegex(#"(?i)\bpowershell(?:\.exe)?\s+-enc\b"#)
        let texts = ["run PowerShell.exe -enc abc", "powershell -encoded", "xpowershell -enc", "POWERSHELL   -ENC"]
        let expected = texts.map { regex.matches($0) }
        #expect(expected == [true, false, false, true])
        let results = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var answers: [Bool] = []
                    for round in 0..<2_000 { answers.append(regex.matches(texts[round % texts.count])) }
                    return answers
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for answers in results {
            #expect(answers == (0..<2_000).map { expected[$0 % texts.count] })
        }
    }
}
