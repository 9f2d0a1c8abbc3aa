import Testing

@testable import AuditwatchCore

@Suite("Glob: the one wildcard matcher")
struct GlobTests {
    @Test(
        "star patterns match whole names",
        arguments: [
            ("sel_*", "sel_login", true), ("sel_*", "sel_", true), ("sel_*", "xsel_a", false),
            ("*_admin", "is_admin", true), ("a*b*c", "abc", true), ("a*b*c", "axxbyyc", true),
            ("a*b*c", "acb", false), ("ab*b", "ab", false), ("a*a", "a", false), ("x*ab*b", "xab", false),
            ("exact", "exact", true), ("exact", "exactly", false), ("*", "", true), ("é*", "été", true),
        ])
    func stars(pattern: String, name: String, matches: Bool) {
        #expect(Glob(stars: pattern).matches(name) == matches)
    }

    @Test("Sigma values keep their wildcards and escapes through TextPattern")
    func sigmaValues() {
        func matches(_ value: String, _ text: String) -> Bool {
            var text = text
            return text.withUTF8 { TextPattern(sigmaValue: value, caseSensitive: false).matches($0) }
        }
        #expect(matches("a?c*z", "ABCxyz"))
        #expect(!matches("a?c*z", "acz"))
        #expect(matches(#"100\*"#, "100*"))
        #expect(!matches(#"100\*"#, "1000"))
    }
}
