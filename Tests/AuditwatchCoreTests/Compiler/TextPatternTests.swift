import Testing

@testable import AuditwatchCore

@Suite("Sigma values: wildcards, escapes and case")
struct TextPatternTests {
    private func matches(
        _ value: String, _ text: String, cased: Bool = false, leading: Bool = false, trailing: Bool = false
    ) -> Bool {
        let pattern = TextPattern(sigmaValue: value, caseSensitive: cased, leadingStar: leading, trailingStar: trailing)
        return Array(text.utf8).withUnsafeBufferPointer { pattern.matches($0) }
    }

    @Test(
        "plain values match the whole text, case-insensitively",
        arguments: [
            ("login.failed", "login.failed", true), ("login.failed", "LOGIN.Failed", true),
            ("login.failed", "login.failed2", false), ("login", "login.failed", false), ("", "", true),
            ("", "x", false),
        ])
    func plain(value: String, text: String, expected: Bool) {
        #expect(matches(value, text) == expected)
    }

    @Test(
        "wildcards * and ?",
        arguments: [
            ("*@example.com", "a@EXAMPLE.com", true), ("admin*", "administrator", true), ("*min*", "ADMIN", true),
            ("a*c", "abbbc", true), ("a*c", "abbbd", false), ("a?c", "abc", true), ("a?c", "ac", false),
            ("a?c", "aéc", true), ("*", "", true), ("?", "", false), ("*a*b*c*", "xxaxxbxxcxx", true),
            ("*a*b*c*", "xxaxxcxxbxx", false), ("k?y_*_??", "key_x_12", true),
        ])
    func wildcards(value: String, text: String, expected: Bool) {
        #expect(matches(value, text) == expected)
    }

    @Test(
        "Sigma's escapes",
        arguments: [
            (#"a\*b"#, "a*b", true), (#"a\*b"#, "axxb", false),
            (#"a\?"#, "a?", true), (#"a\?"#, "ab", false),
            (#"C:\\*"#, #"C:\Windows"#, true),  // \\ then * : backslash, then a wildcard
            (#"C:\\\*"#, #"C:\*"#, true),  // \\\* : backslash, then a literal star
            (#"C:\\\*"#, #"C:\x"#, false),
            (#"a\b"#, #"a\b"#, true),  // a lone backslash is itself
            (#"a\\\\b"#, #"a\\b"#, true),  // four backslashes are two
        ])
    func escapes(value: String, text: String, expected: Bool) {
        #expect(matches(value, text) == expected)
    }

    @Test("contains, startswith and endswith add wildcards around the value")
    func placementModifiers() {
        #expect(matches("evil", "an EVIL project", leading: true, trailing: true))
        #expect(matches("svc-", "svc-ci", trailing: true))
        #expect(!matches("svc-", "my-svc-ci", trailing: true))
        #expect(matches(".ru", "mail.RU", leading: true))
        #expect(!matches(".ru", "mail.ru.com", leading: true))
    }

    @Test("cased makes comparison exact; non-ASCII text folds by Unicode rules")
    func caseRules() {
        #expect(!matches("Admin", "admin", cased: true))
        #expect(matches("Admin", "Admin", cased: true))
        #expect(matches("ÉQUIPE", "équipe"))
        #expect(matches("straße*", "STRASSE-x") == false)  // no full case folding: as Sigma tools lowercase
        #expect(matches("Ωmega", "ωMEGA"))
    }

    @Test("a pathological pattern stays fast (no exponential backtracking)")
    func pathological() {
        let text = String(repeating: "a", count: 5_000)
        #expect(!matches(String(repeating: "*a", count: 30) + "b", text))
    }
}

@Suite("IP networks for cidr")
struct IPNetworkTests {
    @Test(
        "IPv4 and IPv6 membership",
        arguments: [
            ("198.51.100.0/24", "198.51.100.7", true), ("198.51.100.0/24", "198.51.101.7", false),
            ("10.0.0.0/8", "10.255.1.1", true), ("0.0.0.0/0", "203.0.113.9", true),
            ("192.0.2.1", "192.0.2.1", true), ("192.0.2.1/32", "192.0.2.2", false),
            ("2001:db8::/32", "2001:db8:1::5", true), ("2001:db8::/32", "2001:db9::5", false),
            ("::1/128", "::1", true), ("2001:db8::/32", "198.51.100.7", false),
            ("198.51.100.0/24", "::ffff:198.51.100.7", true),
            ("198.51.100.0/24", "not an ip", false), ("198.51.100.0/24", "198.51.100.07", false),
        ])
    func membership(network: String, address: String, expected: Bool) throws {
        let parsed = try #require(IPNetwork(network))
        let parsedAddress = IPNetwork.parseAddress(Substring(address))
        #expect((parsedAddress.map { parsed.contains($0.bytes, isV4: $0.isV4) } ?? false) == expected)
    }

    @Test(
        "invalid networks are rejected",
        arguments: ["198.51.100.0/33", "2001:db8::/129", "1.2.3", "1::2::3", "x/8", "300.1.1.1/8", ""])
    func invalid(text: String) {
        #expect(IPNetwork(text) == nil)
    }
}
