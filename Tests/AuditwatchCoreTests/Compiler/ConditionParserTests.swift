import Testing

@testable import AuditwatchCore

@Suite("Sigma conditions")
struct ConditionParserTests {
    private let names = ["a", "b", "c", "sel_x", "sel_y", "_hidden"]

    private func parse(_ text: String) -> (ConditionExpression?, [Diagnostic]) {
        var parser = ConditionParser(
            Located(text, at: SourceLocation(file: "r.yml", line: 9, column: 14)), selectionNames: names, ruleID: "r")
        return (parser.parse(), parser.diagnostics)
    }

    @Test(
        "precedence: not binds tighter than and, and tighter than or",
        arguments: [
            ("a or b and not c", ConditionExpression.or([.selection(0), .and([.selection(1), .not(.selection(2))])])),
            ("not a and b", .and([.not(.selection(0)), .selection(1)])),
            ("(a or b) and c", .and([.or([.selection(0), .selection(1)]), .selection(2)])),
            ("not not a", .not(.not(.selection(0)))),
            ("a and b and c", .and([.selection(0), .selection(1), .selection(2)])),
            ("1 of sel_* and not a", .and([.anyOf([3, 4]), .not(.selection(0))])),
            ("all of sel_*", .allOf([3, 4])),
            ("1 of them", .anyOf([0, 1, 2, 3, 4])),
            ("all of them", .allOf([0, 1, 2, 3, 4])),
            ("1 of _hidden", .anyOf([5])),
            ("not 1 of sel_*", .not(.anyOf([3, 4]))),
        ])
    func precedence(text: String, expected: ConditionExpression) {
        let (expression, diagnostics) = parse(text)
        #expect(diagnostics.isEmpty)
        #expect(expression == expected)
    }

    @Test(
        "mistakes are located errors",
        arguments: [
            ("a and d", "unknown selection 'd'", 20),
            ("sel_z", "did you mean", 14),
            ("a and", "ends where a selection name was expected", 19),
            ("(a or b", "expected ')'", 21),
            ("a or b)", "unexpected ')'", 20),
            ("1 of nothing_*", "matches no selection", 19),
            ("2 of sel_*", "'2 of' is not Sigma", 14),
            ("", "the condition is empty", 14),
            ("and a", "needs a selection before it", 14),
        ])
    func mistakes(text: String, fragment: String, column: Int) {
        let (expression, diagnostics) = parse(text)
        #expect(expression == nil)
        let diagnostic = diagnostics.first
        #expect(diagnostic?.message.contains(fragment) == true, "\(diagnostic?.message ?? "none")")
        #expect(diagnostic?.location?.column == column)
        #expect(diagnostic?.location?.line == 9)
    }

    /// Deep conditions, and the column of the token that passes the limit.
    static let deepConditions: [String: (text: String, column: Int)] = [
        "20,000 parentheses": (
            String(repeating: "(", count: 20_000) + "a" + String(repeating: ")", count: 20_000),
            14 + ConditionParser.maxDepth
        ),
        "100,000 not": (String(repeating: "not ", count: 100_000) + "a", 14 + 4 * ConditionParser.maxDepth),
        "not and parentheses": (
            String(repeating: "not (", count: 10_000) + "a" + String(repeating: ")", count: 10_000), 14 + 5 * 32
        ),
    ]

    @Test(
        "deeper than the limit is a located error, not a stack overflow",
        arguments: ["20,000 parentheses", "100,000 not", "not and parentheses"])
    func depthLimit(kind: String) throws {
        let (text, column) = try #require(Self.deepConditions[kind])
        let (expression, diagnostics) = parse(text)
        #expect(expression == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("deeper than \(ConditionParser.maxDepth) levels") == true)
        #expect(diagnostics.first?.location?.column == column)
    }

    @Test("a condition exactly at the nesting limit parses")
    func atTheLimit() {
        let depth = ConditionParser.maxDepth
        let parens = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(parse(parens).0 == .selection(0))
        var expected = ConditionExpression.selection(1)
        for _ in 0..<depth { expected = .not(expected) }
        #expect(parse(String(repeating: "not ", count: depth) + "b").0 == expected)
    }
}
