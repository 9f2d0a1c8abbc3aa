import AuditwatchCore
import AuditwatchYAML
import Testing

/// An event with values at several depths, in an array, a number, and a key that is not a value.
private let event =
    #"{"id": "e1", "type": "login.failed", "effective_at": 1700000000, "secret_key_name": "k", "actor": {"type": "session", "session": {"user": {"email": "Mallory@Evil.example"}, "user_agent": "curl/8.4 powershell -enc"}}, "login.failed": {"error_code": 4625, "tags": ["first", "Mimikatz run"]}}"#

/// Whether a rule with this `detection` (YAML, indented under `detection:`) loads without error
/// and matches the event.
private func fires(_ detection: String) throws -> Bool {
    let text =
        "title: t\nid: t\nlevel: low\nlogsource: {product: openai, service: audit_log}\ndetection:\n"
        + detection.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    let result = loadRules(text)
    let errors = result.diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty, let ruleSet = result.ruleSet, ruleSet.rules.count == 1 else {
        Issue.record("rule did not load: \(errors.map(\.message))")
        return false
    }
    return ruleSet.rules[0].matches(try Event(document: JSONDocument(parsing: event)))
}

@Suite("SigmaHQ's rule shapes: keywords, custom keys, logsource")
struct SigmaHQShapesTests {
    @Test(
        "a keyword matches when any value of the event contains it, as full-text search does",
        arguments: [
            ("keywords:\n  - mimikatz\ncondition: keywords", true),  // inside an array, any case
            ("keywords:\n  - 'evil.example'\ncondition: keywords", true),  // deep, part of a value
            ("keywords:\n  - nothing-like-it\n  - powershell\ncondition: keywords", true),  // a list ORs
            ("keywords:\n  - secret_key_name\ncondition: keywords", false),  // keys are not values
            ("keywords:\n  - 4625\ncondition: keywords", true),  // numbers by their text
            ("keywords:\n  - 'curl/*-enc'\ncondition: keywords", true),  // wildcards
            ("keywords: mimikatz\ncondition: keywords", true),  // a single keyword
            ("keywords:\n  '|all':\n    - mimikatz\n    - curl\ncondition: keywords", true),  // each somewhere
            ("keywords:\n  '|all':\n    - mimikatz\n    - wget\ncondition: keywords", false),
            ("keywords:\n  '|cased':\n    - mimikatz\ncondition: keywords", false),
            ("keywords:\n  '|re': 'Mimi[a-z]+ run$'\ncondition: keywords", true),
            ("keywords:\n  '|startswith': 'Mimikatz'\ncondition: keywords", true),
            ("keywords:\n  '|startswith': 'run'\ncondition: keywords", false),
            ("sel: {type: login.failed}\nkeywords: [mimikatz]\ncondition: sel and not keywords", false),
            ("sel:\n  - type: nope\n  - mimikatz\ncondition: sel", true),  // maps and keywords ORed
        ])
    func keywords(detection: String, expected: Bool) throws {
        #expect(try fires(detection) == expected, "\(detection)")
    }

    @Test(
        "a keyword cannot take a modifier that needs a field",
        arguments: ["'|exists': true", "'|cidr': 10.0.0.0/8", "'|gt': 3", "'|fieldref': type"])
    func keywordModifiers(entry: String) {
        let result = loadRules(
            "title: t\nid: t\nlevel: low\nlogsource: {product: openai, service: audit_log}\ndetection:\n  k: {\(entry)}\n  condition: k\n"
        )
        #expect(
            result.diagnostics.contains {
                $0.severity == .error && $0.message.contains("cannot qualify a keyword") && $0.location?.line == 6
            })
    }

    @Test("rules explain shows what a keyword found")
    func explainKeyword() throws {
        let result = loadRules(
            "title: t\nid: t\nlevel: low\nlogsource: {product: openai, service: audit_log}\ndetection:\n  k: [mimikatz, wget]\n  condition: k\n"
        )
        let rule = try #require(result.ruleSet?.rules.first)
        let text = rule.explain(try Event(document: JSONDocument(parsing: event))).text
        #expect(text.contains(#"✔ keywords: ["mimikatz", "wget"]  (event has "Mimikatz run")"#), "\(text)")
        let quiet = rule.explain(
            try Event(document: JSONDocument(parsing: #"{"id": "e2", "type": "x", "effective_at": 1}"#))
        ).text
        #expect(quiet.contains("(no value of the event matches)"), "\(quiet)")
    }

    @Test("custom top-level keys load quietly; a near-miss of a known key warns with the suggestion")
    func customKeys() throws {
        let result = loadRules(
            """
            title: t
            id: t
            level: low
            logsource: {product: openai, service: audit_log}
            regression_tests_path: regression_data/rules/x/info.yml
            simulation: [{type: atomic-red-team, name: whoami}]
            falsepositive: [typo of falsepositives]
            detection:
              sel: {type: login.failed}
              condition: sel
            """)
        #expect(result.ruleSet?.rules.count == 1)
        let findings = result.diagnostics.map { "\($0.severity): \($0.message)" }
        #expect(
            findings == [
                "warning: unknown key 'falsepositive' in a rule, kept as a custom attribute; did you mean 'falsepositives'?"
            ])
        #expect(result.diagnostics.first?.location?.line == 7)
    }

    @Test("a rule without logsource loads with a warning, as the spec requires one")
    func missingLogSource() throws {
        let result = loadRules(
            "title: t\nid: t\nlevel: low\ndetection:\n  sel: {type: login.failed}\n  condition: sel\n")
        #expect(result.ruleSet?.rules.count == 1)
        let warning = try #require(result.diagnostics.first)
        #expect(warning.severity == .warning)
        #expect(warning.message.hasPrefix("no 'logsource'; Sigma requires one"))
    }

    @Test("a condition at the nesting limit loads, evaluates and explains")
    func conditionAtTheLimit() throws {
        let condition = String(repeating: "not (", count: 32) + "sel" + String(repeating: ")", count: 32)
        let result = loadRules(
            "title: t\nid: t\nlevel: low\nlogsource: {product: openai, service: audit_log}\ndetection:\n  sel: {type: login.failed}\n  condition: \(condition)\n"
        )
        let rule = try #require(result.ruleSet?.rules.first, "\(result.diagnostics.map(\.message))")
        let parsed = try Event(document: JSONDocument(parsing: event))
        #expect(rule.matches(parsed), "an even number of nots")
        #expect(rule.explain(parsed).text.contains("MATCHES"))
    }
}
