import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones
import Testing

private let event = #"""
    {"id": "e1", "type": "login.succeeded", "effective_at": 1700000000, "actor": {"type": "session", "session":
    {"user": {"id": "user-1", "email": "Some_Name@Example.com"}, "ip_address": "198.51.100.7",
    "user_agent": "Python-Requests/2.31 (Grüße)\n"}}}
    """#

private func rule(_ selection: String) -> String {
    """
    title: t
    id: t
    level: low
    logsource: {product: openai, service: audit_log}
    detection:
      sel:
        \(selection)
      condition: sel
    """
}

/// Loads one rule with `selection` and says whether it fires on `event`, or gives its errors.
private func outcome(_ selection: String) throws -> (fires: Bool?, errors: [Diagnostic]) {
    let result = RuleLoader(zones: ZoneDatabase()).load(text: rule(selection), file: "r.yml")
    let errors = result.diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty, let ruleSet = result.ruleSet else { return (nil, errors) }
    return (ruleSet.rules[0].matches(try Event(document: try JSONDocument(parsing: event))), [])
}

@Suite("|re in rule files")
struct RegexRuleLoadingTests {
    @Test(
        "re|i with character classes loads and matches (it used to kill rules validate, run and the service)",
        arguments: [
            (#"actor.session.user.email|re|i: '^[a-z_]+@'"#, true), (#"actor.session.user.email|re|i: '[0-9]'"#, false),
            (#"actor.session.user_agent|re|i: '\s'"#, true),
            (#"actor.session.user_agent|re|i: '^PYTHON-[a-z]+/'"#, true),
            (#"actor.session.user_agent|re: '(?i)^python-requests/\d'"#, true),
            (#"actor.session.user_agent|re: '\bRequests\b'"#, true), (#"actor.session.user_agent|re: '\)$'"#, true),
            (#"actor.session.user_agent|re: '\)\z'"#, false), (#"actor.session.user_agent|re: 'grüsse'"#, false),
            (#"actor.session.user_agent|re|i: 'GRÜSSE|GRÜẞE'"#, true),
        ])
    func loadsAndMatches(selection: String, expected: Bool) throws {
        let result = try outcome(selection)
        #expect(result.fires == expected, "\(result.errors.map(\.message))")
    }

    @Test(
        "an invalid regex is an error at its exact line and column, whatever the quoting",
        arguments: [
            ("actor.session.user_agent|re: ab(?=x)", 36, "lookahead"),
            ("actor.session.user_agent|re: 'it''s(?=x)'", 40, "lookahead"),
            (#"actor.session.user_agent|re: "a\\b\"(?<=x)""#, 41, "lookbehind"),
            (#"actor.session.user_agent|re|i: '^[a-z_]+(\1)'"#, 46, "backreferences"),
            ("actor.session.user_agent|re: '(?:a{1000}){1000}'", 35, "20000 instructions"),
            ("actor.session.user_agent|re: 'a{2}{3}'", 39, "multiple repeat"),
        ])
    func locatedErrors(selection: String, column: Int, fragment: String) throws {
        let error = try #require(try outcome(selection).errors.first, "\(selection) loaded")
        let message = error.message
        #expect(message.hasPrefix("invalid regular expression: ") && message.contains(fragment), "\(message)")
        #expect(error.location == SourceLocation(file: "r.yml", line: 7, column: column), "\(selection)")
    }
}
