import Testing

@testable import AuditwatchCore

@Suite("Linear-time regular expressions for re")
struct LinearRegexTests {
    @Test(
        "matching: unanchored search over the spec's subset",
        arguments: [
            ("abc", "xxabcxx", true), ("^abc", "xxabc", false), ("^abc$", "abc", true), ("a.c", "abc", true),
            ("a.c", "a\nc", false), ("colou?r", "color", true), ("colou?r", "colouur", false), ("ab*c", "ac", true),
            ("ab+c", "ac", false), ("a{2,3}", "caab", true), ("^a{2,3}$", "aaaa", false), ("^a{2}$", "aa", true),
            ("^a{2,}$", "aaaaa", true), ("[a-c]+x", "bbx", true), ("[^a-c]x", "bx", false), ("[^a-c]x", "dx", true),
            ("(foo|bar)baz", "barbaz", true), ("^(?:ab)+$", "ababab", true), ("^(ab)+$", "ababa", false),
            (#"\d{3}-\d{4}"#, "call 555-1234", true), (#"^\w+@\w+\.com$"#, "a_b@host.com", true),
            (#"\s"#, "nospace", false),
            (#"\.ru$"#, "mail.ru", true), (#"\.ru$"#, "mailxru", false), ("a|", "zzz", true), ("é+", "caféé", true),
            ("[.]", "a.b", true), ("^x{,2}$", "xx", true), ("^x{,2}$", "xxx", false), ("x{a}", "x{a}", true),
        ])
    func matching(pattern: String, text: String, expected: Bool) throws {
        #expect(try LinearRegex(pattern).matches(text) == expected)
    }

    @Test("the i, m and s sub-modifiers")
    func options() throws {
        #expect(try !LinearRegex("ADMIN").matches("admin"))
        #expect(try LinearRegex("ADMIN", options: .init(ignoreCase: true)).matches("Admin"))
        #expect(try LinearRegex("[A-Z]+min", options: .init(ignoreCase: true)).matches("admin"))
        #expect(try !LinearRegex("^b", options: .init()).matches("a\nb"))
        #expect(try LinearRegex("^b$", options: .init(multiline: true)).matches("a\nb\nc"))
        #expect(try !LinearRegex("a.b").matches("a\nb"))
        #expect(try LinearRegex("a.b", options: .init(dotAll: true)).matches("a\nb"))
    }

    @Test("a catastrophic pattern for backtracking engines runs in linear time")
    func catastrophic() throws {
        // (a+)+$ against "aaaa…!" takes exponential time in a backtracking engine.
        let regex = try LinearRegex("^(a+)+$")
        let hostile = String(repeating: "a", count: 10_000) + "!"
        #expect(!regex.matches(hostile))
        #expect(regex.matches(String(repeating: "a", count: 10_000)))
        let nested = try LinearRegex("(x+x+)+y")
        #expect(!nested.matches(String(repeating: "x", count: 5_000)))
    }

    @Test(
        "what cannot run in linear time, or is malformed, is refused at load",
        arguments: [
            (#"(a)\1"#, "backreferences"), ("(?=a)", "lookahead"), ("(?<!a)b", "lookbehind"),
            ("a**", "multiple repeat"),
            ("(ab", "missing ')'"), ("ab)", "unmatched ')'"), ("[abc", "missing ']'"), ("*a", "nothing to repeat"),
            ("a{3,1}", "reversed"), ("a{5000}", "above 1000"), (#"\q"#, "unknown escape"),
            (#"a\"#, "trailing backslash"),
            ("[z-a]", "out of order"), ("((a{1000}){1000})", "more than 20000 instructions"),
        ])
    func refused(pattern: String, fragment: String) {
        let error = #expect(throws: RegexError.self) { try LinearRegex(pattern) }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }
}
