import Testing

@testable import AuditwatchCore

private func search(_ pattern: String, _ text: String, _ options: LinearRegex.Options = .init()) throws -> Bool {
    try LinearRegex(pattern, options: options).matches(text)
}

@Suite("Regex as Sigma rules write it")
struct RegexSigmaSyntaxTests {
    @Test(
        "re|i with character classes compiles and matches (it used to trap in caseFolded)",
        arguments: [
            ("^[a-z_]+$", "Some_Name", true), ("^[a-z_]+$", "x-y", false), ("[0-9]", "a1", true),
            ("[0-9]", "ab", false),
            (#"\s"#, "a b", true), (#"\s"#, "ab", false), ("[A-Z]", "q", true), ("[^a-z]", "Q", false),
            ("[a-zA-Z0-9]", "%", false), ("[!-~]", "k", true), (#"[\w.]+@"#, "A.b@", true), ("[^A-Z]", "é", true),
        ])
    func caseInsensitiveClasses(pattern: String, text: String, expected: Bool) throws {
        #expect(try search(pattern, text, .init(ignoreCase: true)) == expected)
    }

    @Test("inline flags: (?i) (?s) (?m) at the start, scoped (?i:…) and (?-i:…), and to the end of a group")
    func inlineFlags() throws {
        #expect(try search("(?i)admin", "ADMIN"))
        #expect(try !search("admin", "ADMIN"))
        #expect(try search("(?s)a.b", "a\nb"))
        #expect(try search("(?m)^b$", "a\nb\nc"))
        #expect(try search("(?im)^B$", "a\nb\nc"))
        #expect(try search("a(?i:B)c", "aBc") && search("a(?i:B)c", "abc"))
        #expect(try !search("a(?i:B)c", "abC"))
        #expect(try !search("(?i)a(?-i:B)", "aB") == false)
        #expect(try !search("(?i)a(?-i:B)", "ab"))
        #expect(try search("(a(?i)b)c", "aBc"))
        #expect(try !search("(a(?i)b)c", "aBC"))
        #expect(try !search("x(?s-s:.)", "x\n"))
        #expect(try search("(?u)x", "x"))
    }

    @Test("\\b and \\B, Unicode-aware as \\w is")
    func wordBoundaries() throws {
        #expect(try search(#"\bcmd\b"#, "run cmd.exe"))
        #expect(try !search(#"\bcmd\b"#, "xcmdx"))
        #expect(try search(#"\Bcmd"#, "xcmd"))
        #expect(try !search(#"\Bcmd"#, "cmd"))
        #expect(try search(#"\b"#, "a"))
        #expect(try !search(#"\b"#, ""))
        #expect(try search(#"\B"#, ""))
        #expect(try !search(#"\bé"#, "caféé"))
        #expect(try search(#"\bпривет\b"#, "скажи привет!"))
        #expect(try search("https?://(?:(?:25[0-5]|(?:2[0-4]|1\\d|[1-9])?\\d)(?:\\.|\\b)){4}", "get http://10.0.0.1/x"))
    }

    @Test("$ matches at the end and before a final newline; \\z only at the very end; ^ and \\A at the start")
    func anchors() throws {
        #expect(try search("a$", "a\n"))
        #expect(try !search("a$", "a\n\n"))
        #expect(try !search("a$", "a\nb"))
        #expect(try search("(?m)a$", "a\nb"))
        #expect(try !search(#"a\z"#, "a\n"))
        #expect(try search(#"a\z"#, "ba"))
        #expect(try search(#"\Aa"#, "ab") && !search(#"\Aa"#, "ba"))
        #expect(try !search(#"(?m)\Ab"#, "a\nb"))
        #expect(try search("(?m)^$", "a\n"))
        #expect(try search("^$", ""))
        #expect(try search("^$", "\n"))
    }

    @Test("\\d \\w \\s are Unicode-aware, as Python's re on text")
    func unicodeClasses() throws {
        #expect(try search(#"^\d+$"#, "١٢٣"))  // Arabic-Indic digits are Nd
        #expect(try !search(#"^\d$"#, "½"))  // No, not Nd
        #expect(try search(#"^\w+$"#, "Grüße_2"))
        #expect(try search(#"^\w$"#, "½"))  // has a numeric value, as str.isalnum()
        #expect(try !search(#"^\w$"#, "\u{301}"))  // a combining mark is not a word scalar in Python
        #expect(try search(#"^\s$"#, "\u{3000}") && search(#"^\s$"#, "\u{85}") && search(#"^\s$"#, "\u{1C}"))
        #expect(try !search(#"^\s$"#, "\u{200B}"))  // zero width space is not White_Space
        #expect(try search(#"^\W$"#, "-") && !search(#"^\W$"#, "ж"))
        #expect(try search(#"^[^\W\d]+$"#, "abc") && !search(#"^[^\W\d]+$"#, "ab1"))
    }

    @Test("case folding beyond ASCII: simple folds, several-member classes, none to several scalars")
    func caseFolding() throws {
        let insensitive = LinearRegex.Options(ignoreCase: true)
        #expect(try search("straße", "STRAẞE", insensitive))
        #expect(try !search("straße", "STRASSE", insensitive))
        #expect(try search("ПРИВЕТ", "привет", insensitive))
        #expect(try search("k", "\u{212A}", insensitive))  // KELVIN SIGN
        #expect(try search("[a-z]", "\u{17F}", insensitive))  // LONG S
        #expect(try search("σ", "ς", insensitive) && search("Σ", "ς", insensitive))
        #expect(try search("i", "\u{130}", insensitive))  // as Python
        #expect(try !search("é", "É"))
        #expect(try search("[à-ÿ]+", "ÀÉÎ", insensitive))
    }

    @Test(
        "escapes, groups and quantifiers Sigma rules use",
        arguments: [
            (#"\x41\x{42}\u0043\U00000044"#, "ABCD", true), (#"\/\.\-\"\'\%"#, #"/.-"'%"#, true),
            (#"\0"#, "\u{0}", true),
            (#"\t\n\r\f\v\a\e"#, "\t\n\r\u{C}\u{B}\u{7}\u{1B}", true), ("(?:ab)+?c", "ababc", true),
            ("a*?b", "aab", true),
            ("a{2,3}?b", "aab", true), ("a??b", "b", true), ("(?P<name>ab)c", "abc", true), ("(?<n>ab)c", "abc", true),
            ("(?'n'ab)c", "abc", true), ("a(?#a comment)b", "ab", true), ("(?|a|b)c", "bc", true), ("[]a]", "]", true),
            ("[a-]", "-", true), (#"[\]]"#, "]", true), (#"[\d-]"#, "-", true), (#"[\b]"#, "\u{8}", true),
            (#"[\x41-\x43]+"#, "ABC", true), ("[\\u0400-\\u04FF]", "Ж", true), ("a{,}", "", true), ("{", "{", true),
            ("x{1,2", "x{1,2", true), ("é", "café", true), (#"\é"#, "é", true), ("[[]", "[", true),
        ])
    func syntax(pattern: String, text: String, expected: Bool) throws {
        #expect(try search(pattern, text) == expected)
    }

    @Test(
        "what a linear-time matcher cannot do is refused by name; malformed input is located",
        arguments: [
            ("(?=a)", 0, "lookahead"), ("x(?!a)", 1, "negative lookahead"), ("(?<=a)b", 0, "lookbehind"),
            ("(?<!a)b", 0, "negative lookbehind"), (#"(a)\1"#, 3, "backreferences"),
            (#"(?P<n>a)(?P=n)"#, 8, "backreference"), (#"\k<n>"#, 0, "backreferences"), ("(?>a)", 0, "atomic group"),
            ("a*+", 2, "possessive"), ("a++", 2, "possessive"),
            ("(?(1)a|b)", 0, "conditional"), ("(?R)", 0, "recursion"), ("(?1)", 0, "recursion"),
            ("(?x)a b", 2, "verbose"),
            ("(?a)x", 2, "inline flag 'a'"), (#"\Z"#, 0, "'\\z'"), (#"\p{L}"#, 0, "Unicode property"),
            (#"\N{DASH}"#, 0, "named"),
            (#"\xZZ"#, 0, "hex digits"), (#"\u12"#, 0, "4 hex digits"), (#"\x{110000}"#, 0, "above U+10FFFF"),
            ("[[:alpha:]]", 1, "POSIX"), (#"[a-\d]"#, 1, "bad character range"),
            (#"[\d-z]"#, 1, "cannot start a range"),
            (#"[\A]"#, 1, "assertion"), ("^*", 1, "nothing to repeat"), (#"\b+"#, 2, "nothing to repeat"),
            ("(?i)*", 4, "nothing to repeat"), ("{1}", 0, "nothing to repeat"), ("a{2}{3}", 4, "multiple repeat"),
            ("a{1000}{1000}", 7, "multiple repeat"), ("(?:a{1000}){1000}", 0, "more than 20000 instructions"),
            ("a{1001}", 1, "above 1000"), ("a{99999999999999999999}", 1, "above 1000"), ("(?", 0, "unknown group"),
            ("(?Q)", 0, "unknown group"), ("(?P<>a)", 0, "group name"), ("(?i", 0, "missing ')'"),
            ("[", 0, "missing ']'"),
            ("[^", 0, "missing ']'"), ("a)", 1, "unmatched ')'"), ("a|*", 2, "nothing to repeat"),
        ])
    func refused(pattern: String, offset: Int, fragment: String) {
        let error = #expect(throws: RegexError.self) { try LinearRegex(pattern) }
        #expect(error?.message.contains(fragment) == true, "\(pattern): \(error?.message ?? "")")
        #expect(error?.offset == offset, "\(pattern): offset \(error?.offset ?? -1)")
    }

    @Test("documented limits: length, nesting, program size are errors, never a crash or a stall")
    func limits() throws {
        let long = String(repeating: "a", count: RegexParser.maxLength + 1)
        #expect(throws: RegexError.self) { try LinearRegex(long) }
        let longest = try LinearRegex(String(repeating: "a", count: RegexParser.maxLength))
        #expect(!longest.matches(String(repeating: "a", count: 500)))
        let deep = String(repeating: "(", count: 4_000) + "a" + String(repeating: ")", count: 4_000)
        let error = #expect(throws: RegexError.self) { try LinearRegex(deep) }
        #expect(error?.message.contains("nest deeper than 100") == true)
        #expect(error?.offset == 100)
        let nested = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect(try LinearRegex(nested).matches("a"))
        #expect(try LinearRegex(#"[\w\W]{1000}"#).matches(String(repeating: "ж", count: 1_000)))
        let repeated = String(repeating: "(a|b)*", count: 1_300)
        #expect(try LinearRegex(repeated).matches("abba"))
    }

    @Test("invalid UTF-8 in the input reads as U+FFFD and never traps")
    func invalidUTF8() throws {
        let regex = try LinearRegex("^a.b$")
        let bytes: [UInt8] = [0x61, 0xC3, 0x62]
        #expect(bytes.withUnsafeBufferPointer { regex.matches($0) })
        let truncated: [UInt8] = [0x61, 0xF0, 0x9F]
        #expect(!truncated.withUnsafeBufferPointer { regex.matches($0) })
        #expect(try LinearRegex("\u{FFFD}").matches(String(decoding: [0xFF], as: UTF8.self)))
        #expect(try [UInt8]([0xED, 0xA0, 0x80]).withUnsafeBufferPointer { try LinearRegex("^...$").matches($0) })
    }
}
