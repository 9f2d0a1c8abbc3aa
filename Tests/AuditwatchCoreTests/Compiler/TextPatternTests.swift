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
            ("2001:db8::/64", "2001:db8::ffff:1", true), ("2001:db8::/64", "2001:db8:0:1::1", false),
            ("2001:db8::/65", "2001:db8::7fff:0:0:1", true), ("2001:db8::/65", "2001:db8::8000:0:0:1", false),
            ("::ffff:0:0/96", "::ffff:10.1.2.3", true), ("::ffff:0:0/96", "10.1.2.3", false),
            ("2001:db8::/127", "2001:db8::1", true), ("2001:db8::/127", "2001:db8::2", false),
            ("::/0", "2001:db8::1", true), ("203.0.113.4/30", "203.0.113.7", true),
            ("203.0.113.4/30", "203.0.113.8", false), ("0.0.0.0/0", "::ffff:1.2.3.4", true),
        ])
    func membership(network: String, address: String, expected: Bool) throws {
        let parsed = try #require(IPNetwork(network))
        var text = address
        let parsedAddress = text.withUTF8 { IPAddress.parse($0) }
        #expect((parsedAddress.map(parsed.contains) ?? false) == expected)
    }

    /// An independent reading of IPv4 text (the parsers share one): four parts of one to three
    /// ASCII digits, no leading zero, each at most 255.
    static func dottedQuad(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                part.utf8.count == 1 || part.utf8.first != 0x30, let value = Int(part), value <= 255
            else { return nil }
            bytes.append(UInt8(value))
        }
        return bytes
    }

    @Test("the in-place parser reads a dotted quad as an independent reading does, and IPv6 as parseAddress")
    func parsersAgree() {
        var texts = [
            "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.0",
            "1..3.4", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.４", "1234.1.1.1", "", ".", "::", "::1",
            "::ffff:1.2.3.4", "2001:db8::1", "2001:db8::1::2", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
            "::ffff:1.2.3.256", "a.b.c.d", "1.2.3.-4", "999.999.999.999", "10.0.0.1/8",
        ]
        var random: UInt64 = 99
        for _ in 0..<2_000 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let alphabet = Array("0123456789.:abf")
            let length = Int(random >> 60) + 1
            var text = ""
            var bits = random
            for _ in 0..<length {
                text.append(alphabet[Int(bits % UInt64(alphabet.count))])
                bits /= UInt64(alphabet.count)
            }
            texts.append(text)
        }
        for text in texts {
            var copy = text
            let inPlace = copy.withUTF8 { IPAddress.parse($0) }
            // Text without a colon can only be IPv4; with one, IPv6 as parseAddress reads it.
            let reference =
                text.contains(":")
                ? IPNetwork.parseAddress(Substring(text)).map { IPAddress(bytes: $0.bytes, isV4: $0.isV4) }
                : Self.dottedQuad(text).map {
                    IPAddress(bytes: Array(repeating: 0, count: 10) + [0xFF, 0xFF] + $0, isV4: true)
                }
            #expect(inPlace == reference, "\(text)")
        }
    }

    @Test(
        "invalid networks are rejected",
        arguments: ["198.51.100.0/33", "2001:db8::/129", "1.2.3", "1::2::3", "x/8", "300.1.1.1/8", ""])
    func invalid(text: String) {
        #expect(IPNetwork(text) == nil)
    }
}
