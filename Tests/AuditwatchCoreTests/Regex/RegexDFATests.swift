import Testing

@testable import AuditwatchCore

@Suite("The regex automaton answers as the VM does")
struct RegexDFATests {
    /// Mostly ASCII, so the automaton reads most texts to their end; `\n` and `é` make it hand
    /// over to the VM in the middle.
    private static let asciiAlphabet = [
        "a", "b", "A", "B", "k", "K", "s", "1", "7", "_", " ", "-", ".", "@", "x", "\n", "é",
    ]

    private func answers(_ regex: LinearRegex, _ text: String) -> (automaton: Bool, vm: Bool) {
        var copy = text
        return copy.withUTF8 { (regex.matches($0), regex.matchesOnVM($0)) }
    }

    @Test("generated patterns and texts: the same answer with and without the automaton")
    func generatedPatterns() {
        var generator = PatternGenerator(seed: 0xD_FA, alphabet: RegexDFATests.asciiAlphabet)
        var withAutomaton = 0
        var compared = 0
        for _ in 0..<3_000 {
            let pattern = generator.pattern()
            guard let regex = try? LinearRegex(pattern) else { continue }
            if regex.automaton != nil { withAutomaton += 1 }
            for _ in 0..<12 {
                let text = generator.text()
                let (automaton, vm) = answers(regex, text)
                #expect(automaton == vm, "pattern \(pattern.debugDescription), text \(text.debugDescription)")
                compared += 1
            }
        }
        // Most generated patterns have no word boundary, so most get an automaton: the
        // comparison above is not only the VM against itself.
        #expect(withAutomaton > 1_500)
        #expect(compared > 20_000)
    }

    @Test(
        "the rule shapes the generator and the pack use",
        arguments: [
            (#"^user123[0-9]@corp\.example$"#, "user1234@corp.example", true),
            (#"^user123[0-9]@corp\.example$"#, "user1234@corp.example\n", true),
            (#"^user123[0-9]@corp\.example$"#, "user1234@corp.example\nx", false),
            (#"^user123[0-9]@corp\.example$"#, "xuser1234@corp.example", false),
            (#"^user123[0-9]@"#, "user1239@elsewhere", true),
            (#"^key_svc12[0-9]{2}$"#, "key_svc1299", true),
            (#"^key_svc12[0-9]{2}$"#, "key_svc129", false),
            (#"^Project (1[0-9]{3}|456)$"#, "Project 456", true),
            (#"^Project (1[0-9]{3}|456)$"#, "Project 1456x", false),
            (#"(sqlmap|nikto)/[0-9]+\.4"#, "Mozilla sqlmap/1.4 (é)", true),
            (#"(?i)^(curl|python-requests)"#, "CURL/8.0", true),
            (#"(?i)^new[0-9]+@(gmail\.com|proton\.me)$"#, "NEW12@Proton.Me", true),
            (#"(?i)k"#, "\u{212A}", true),
            (#"(?m)^b$"#, "a\nb\nc", true),
            (#"a$"#, "", false),
            (#"^$"#, "", true),
            (#"x*"#, "", true),
        ])
    func ruleShapes(pattern: String, text: String, expected: Bool) throws {
        let regex = try LinearRegex(pattern)
        #expect(regex.automaton != nil)
        let (automaton, vm) = answers(regex, text)
        #expect(automaton == expected)
        #expect(vm == expected)
    }

    @Test(
        "an ASCII text read to its end is answered there, without the VM",
        arguments: [
            (#"^key_svc12[0-9]{2}$"#, "key_svc1299", true),
            (#"^key_svc12[0-9]{2}$"#, "key_svc129", false),
            (#"^Project (1[0-9]{3}|331)$"#, "Project 1234", true),
            (#"(?m)b$"#, "ab", true),
            (#"b$"#, "ab", true),
            (#"a\z"#, "ab", false),
            (#"^$"#, "", true),
            (#"^"#, "x", true),
            (#"x^"#, "x", false),
        ])
    func answeredAtTheEnd(pattern: String, text: String, expected: Bool) throws {
        let regex = try LinearRegex(pattern)
        let automaton = try #require(regex.automaton)
        var copy = text
        let outcome = copy.withUTF8 { automaton.run($0) }
        switch outcome {
        case .matched: #expect(expected)
        case .failed: #expect(!expected)
        case .handOver: Issue.record("handed over to the VM")
        }
        #expect(answers(regex, text).vm == expected)
    }

    @Test("word boundaries and automata that would be too large are left to the VM")
    func withoutAutomaton() throws {
        #expect(try LinearRegex(#"\bcurl\b"#).automaton == nil)
        // The n-th byte from the end being `a` needs 2^n states.
        let large = try LinearRegex("(a|b)*a(a|b){12}")
        #expect(large.automaton == nil)
        #expect(large.matches("ab" + String(repeating: "a", count: 12)))
        #expect(!large.matches(String(repeating: "b", count: 20)))
    }
}
