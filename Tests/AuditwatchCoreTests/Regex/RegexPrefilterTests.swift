import Testing

@testable import AuditwatchCore

@Suite("Regex prefilters never change an answer")
struct RegexPrefilterTests {
    private func literal(_ pattern: String, _ options: LinearRegex.Options = .init()) throws -> String? {
        try LinearRegex(pattern, options: options).requiredLiteral.map { bytes in
            String(decoding: bytes.map { $0.anyCase ? $0.byte - 32 : $0.byte }, as: UTF8.self)
        }
    }

    @Test("the required literal is the longest run every match contains")
    func extraction() throws {
        #expect(try literal(#"cmd.{0,5}(?:/c|/r).+powershell"#) == "powershell")
        #expect(try literal(#"\bpowershell\.exe\b"#) == "powershell.exe")
        #expect(try literal("(?i)POWER") == "POWER")  // upper case: either case
        #expect(try literal("(?i)risk") == nil)  // k and s have non-ASCII relatives
        #expect(try literal("ab|abc") == nil)
        #expect(try literal("x(?:abcd)+y") == "abcd")
        #expect(try literal("x(?:abcd)?y") == nil)
        #expect(try literal("привет") == "привет")
        #expect(try literal("a\u{FFFD}bc") == nil)
        #expect(try literal(String(repeating: "a", count: 40))?.count == 32)
    }

    private func indexLiterals(_ pattern: String, _ options: LinearRegex.Options = .init()) throws -> [String]? {
        guard let found = try LinearRegex(pattern, options: options).indexLiterals else { return nil }
        return found.literals.map { bytes in
            (found.atStart ? "^" : "")
                + String(decoding: bytes.map { $0.anyCase ? $0.byte - 32 : $0.byte }, as: UTF8.self)
        }
    }

    @Test("the index's literals: an anchored prefix first, alternations of literals, the longest shortest member")
    func indexLiteralChoice() throws {
        #expect(try indexLiterals(#"^user12[0-9]@corp\.example$"#) == ["^user12"])
        #expect(try indexLiterals(#"user12[0-9]@corp\.example$"#) == ["@corp.example"])
        #expect(try indexLiterals(#"(sqlmap|nikto)/[0-9]+\.5"#) == ["sqlmap", "nikto"])
        #expect(try indexLiterals(#"^(curl|wget)/"#) == ["^curl/", "^wget/"])
        #expect(try indexLiterals(#"^cit(y|Y) 1"#) == ["^city 1", "^citY 1"])
        #expect(try indexLiterals(#"^us(er)?1"#) == nil)  // "us" is too short, "er" is optional
        #expect(try indexLiterals(#"^(a|bcd)ef"#) == ["^aef", "^bcdef"])
        #expect(try indexLiterals(#"^(a.*|bcd)xyz"#) == ["xyz"])  // "a" alone is too short a prefix
        #expect(try indexLiterals("^abc", .init(multiline: true)) == ["abc"])  // `^` at any line: not a prefix
        #expect(try indexLiterals(#"(?i)^USER1"#) == ["ER1"])  // S has a non-ASCII relative (ſ)
        #expect(try indexLiterals(#"(?i)^risk"#) == nil)  // k and s have non-ASCII relatives
        #expect(try indexLiterals(#"x(ab|cdef)y"#) == nil)  // "ab" is too short
    }

    @Test(
        "texts with and without the literal get the VM's answer",
        arguments: [
            (#"cmd.{0,5}(?:/c|/r).+powershell"#, "cmd /c run powershell", true),
            (#"cmd.{0,5}(?:/c|/r).+powershell"#, "cmd /c run powershel", false),
            ("(?i)POWERSHELL", "PowerShell", true), ("(?i)POWERSHELL", "PowerShel!", false), ("POWER", "power", false),
            ("привет", "скажи привет", true), ("привет", "скажи привед", false),
            ("a\u{FFFD}bc", "a\u{FFFD}bc", true),
            ("abc$", "xabc\n", true), (#"\babc\b"#, "abc", true), ("abc", "ab", false), ("abc", "", false),
        ])
    func answers(pattern: String, text: String, expected: Bool) throws {
        #expect(try LinearRegex(pattern).matches(text) == expected)
    }

    @Test("invalid UTF-8 that reads as U+FFFD is matched by the VM, not missed by the byte scan")
    func replacementCharacter() throws {
        let regex = try LinearRegex("a\u{FFFD}bc")
        #expect(regex.requiredLiteral == nil)
        #expect([UInt8]([0x61, 0xFF, 0x62, 0x63]).withUnsafeBufferPointer { regex.matches($0) })
    }
}
