import AuditwatchCore
import AuditwatchYAML
import Testing

/// Events used by the detection tests, by name.
private let sampleEvents: [String: String] = [
    "failed":
        #"{"id": "e1", "type": "login.failed", "effective_at": 1700000000, "actor": {"type": "session", "session": {"user": {"id": "user-1", "email": "Alice@Example.com"}, "ip_address": "198.51.100.7", "ip_address_details": {"country": "US", "asn": "1234"}}}, "login.failed": {"error_code": "invalid_password", "error_message": "Wrong password"}}"#,
    "key":
        #"{"id": "e2", "type": "api_key.created", "effective_at": 1700000100, "actor": {"type": "api_key", "api_key": {"id": "key_1", "type": "service_account", "service_account": {"id": "svc_ci"}}}, "project": {"id": "proj_1", "name": "Prod"}, "api_key.created": {"id": "key_2", "data": {"scopes": ["api.model.read", "api.organization.write"]}}}"#,
    "limit":
        #"{"id": "e3", "type": "rate_limit.updated", "effective_at": 1700000200, "actor": null, "rate_limit.updated": {"id": "rl_1", "changes_requested": {"max_requests_per_1_minute": 500000, "batch_1_day_max_input_tokens": "90"}}}"#,
    "custom":
        #"{"id": "e5", "type": "custom.thing", "effective_at": 1774854000, "blob": "eHggcG93ZXJzaGVsbCAtZW5jIHl5", "wide": "YwBtAGQAIAAvAGMAIAB3AGgAbwBhAG0AaQA=", "cmdline": "tool \u2013install now", "when": "2026-03-30T07:15:00Z", "note": "first line\nsecond LINE"}"#,
    "v6":
        #"{"id": "e4", "type": "login.succeeded", "effective_at": 1700000300, "actor": {"type": "session", "session": {"user": {"id": "user-2", "email": "bob@example.com"}, "ip_address": "2001:db8:1::5"}}}"#,
]

/// Whether a rule with `detection` (YAML, indented under `detection:`) matches the named event.
private func fires(_ detection: String, on name: String) throws -> Bool {
    let text =
        "title: t\nid: t\nlevel: low\ndetection:\n"
        + detection.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    let result = loadRules(text)
    let errors = result.diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty, let ruleSet = result.ruleSet, ruleSet.rules.count == 1 else {
        Issue.record("rule did not load: \(errors.map(\.message))")
        return false
    }
    let document = try JSONDocument(parsing: sampleEvents[name]!)
    return ruleSet.rules[0].matches(try Event(document: document))
}

@Suite("Detection semantics, as Sigma specifies them")
struct DetectionSemanticsTests {
    @Test(
        "selections: maps AND, lists of maps OR, value lists OR",
        arguments: [
            ("sel:\n  type: login.failed\n  actor.session.ip_address: 198.51.100.7\ncondition: sel", "failed", true),
            ("sel:\n  type: login.failed\n  actor.session.ip_address: 10.0.0.1\ncondition: sel", "failed", false),
            ("sel:\n  - type: nope\n  - actor.email: alice@example.com\ncondition: sel", "failed", true),
            ("sel:\n  type: [logout.failed, login.failed]\ncondition: sel", "failed", true),
            ("sel:\n  type: [logout.failed, login.succeeded]\ncondition: sel", "failed", false),
        ])
    func selections(detection: String, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "values: case, numbers against strings and numbers, booleans, null",
        arguments: [
            ("sel:\n  actor.email: ALICE@example.COM\ncondition: sel", "failed", true),
            ("sel:\n  actor.email|cased: ALICE@example.COM\ncondition: sel", "failed", false),
            ("sel:\n  actor.session.ip_address_details.asn: 1234\ncondition: sel", "failed", true),
            ("sel:\n  details.changes_requested.max_requests_per_1_minute: 500000\ncondition: sel", "limit", true),
            ("sel:\n  details.changes_requested.max_requests_per_1_minute: '500000'\ncondition: sel", "limit", true),
            ("sel:\n  actor: null\ncondition: sel", "limit", true),
            ("sel:\n  project: null\ncondition: sel", "failed", true),
            ("sel:\n  project: null\ncondition: sel", "key", false),
            ("sel:\n  actor.session.user.email: ''\ncondition: sel", "failed", false),
        ])
    func values(detection: String, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "modifiers",
        arguments: [
            ("sel:\n  details.error_message|contains: WRONG\ncondition: sel", "failed", true),
            ("sel:\n  actor.email|startswith: alice@\ncondition: sel", "failed", true),
            ("sel:\n  actor.email|endswith: '@example.com'\ncondition: sel", "failed", true),
            ("sel:\n  actor.email|endswith: '@evil.com'\ncondition: sel", "failed", false),
            ("sel:\n  details.data.scopes|contains|all: [model.read, organization.write]\ncondition: sel", "key", true),
            ("sel:\n  details.data.scopes|contains|all: [model.read, billing]\ncondition: sel", "key", false),
            ("sel:\n  details.data.scopes: api.organization.write\ncondition: sel", "key", true),
            ("sel:\n  details.data.scopes|endswith: .write\ncondition: sel", "key", true),
            ("sel:\n  project|exists: true\ncondition: sel", "key", true),
            ("sel:\n  project|exists: false\ncondition: sel", "key", false),
            ("sel:\n  actor|exists: true\ncondition: sel", "limit", true),
            ("sel:\n  details.changes_requested.max_requests_per_1_minute|gte: 100000\ncondition: sel", "limit", true),
            ("sel:\n  details.changes_requested.max_requests_per_1_minute|lt: 100000\ncondition: sel", "limit", false),
            ("sel:\n  details.changes_requested.batch_1_day_max_input_tokens|gt: 80\ncondition: sel", "limit", true),
            ("sel:\n  actor.email|gt: 5\ncondition: sel", "failed", false),
            ("sel:\n  actor.ip|cidr: 198.51.100.0/24\ncondition: sel", "failed", true),
            ("sel:\n  actor.ip|cidr: [10.0.0.0/8, '2001:db8::/32']\ncondition: sel", "v6", true),
            ("sel:\n  actor.ip|cidr: 10.0.0.0/8\ncondition: sel", "v6", false),
            ("sel:\n  type|neq: login.succeeded\ncondition: sel", "failed", true),
            ("sel:\n  type|neq: [login.succeeded, login.failed]\ncondition: sel", "failed", false),
            ("sel:\n  project.name|neq: x\ncondition: sel", "failed", true),  // missing: matches, as pySigma
            ("sel:\n  actor.email|fieldref: actor.session.user.email\ncondition: sel", "failed", true),
            ("sel:\n  actor.id|fieldref: actor.email\ncondition: sel", "failed", false),
            ("sel:\n  actor.id|fieldref|neq: actor.email\ncondition: sel", "failed", true),
        ])
    func modifiers(detection: String, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "more modifier families: re, base64, encodings, windash, date parts",
        arguments: [
            ("sel:\n  actor.email|re: '^alice@.*\\.com$'\ncondition: sel", "failed", false),
            ("sel:\n  actor.email|re|i: '^alice@.*\\.com$'\ncondition: sel", "failed", true),
            ("sel:\n  note|re: '^second'\ncondition: sel", "custom", false),
            ("sel:\n  note|re|m: '^second'\ncondition: sel", "custom", true),
            ("sel:\n  note|re|s: 'line.second'\ncondition: sel", "custom", true),
            ("sel:\n  note|re: 'line.second'\ncondition: sel", "custom", false),
            ("sel:\n  blob|base64offset|contains: powershell\ncondition: sel", "custom", true),
            ("sel:\n  blob|base64offset|contains: bash\ncondition: sel", "custom", false),
            ("sel:\n  blob|base64: 'xx powershell -enc yy'\ncondition: sel", "custom", true),
            ("sel:\n  wide|wide|base64offset|contains: whoami\ncondition: sel", "custom", true),
            ("sel:\n  wide|utf16le|base64: 'cmd /c whoami'\ncondition: sel", "custom", true),
            ("sel:\n  cmdline|windash|contains: ' -install'\ncondition: sel", "custom", true),
            ("sel:\n  cmdline|contains: ' -install'\ncondition: sel", "custom", false),
            ("sel:\n  effective_at|hour: 7\ncondition: sel", "custom", true),
            ("sel:\n  effective_at|hour|gte: 8\ncondition: sel", "custom", false),
            ("sel:\n  when|minute: 15\ncondition: sel", "custom", true),
            ("sel:\n  effective_at|day: 30\ncondition: sel", "custom", true),
            ("sel:\n  effective_at|week: 14\ncondition: sel", "custom", true),
            ("sel:\n  effective_at|month: [3, 4]\ncondition: sel", "custom", true),
            ("sel:\n  effective_at|year|lt: 2026\ncondition: sel", "custom", false),
        ])
    func moreModifiers(detection: String, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "conditions and precedence over real events",
        arguments: [
            (
                "a:\n  type: login.failed\nb:\n  type: nope\nc:\n  actor.email: nobody\ncondition: a or b and not c",
                "failed", true
            ),
            (
                "a:\n  type: nope\nb:\n  type: login.failed\nc:\n  actor.email: alice@example.com\ncondition: a or b and not c",
                "failed", false
            ),
            (
                "a:\n  type: nope\nb:\n  type: login.failed\nc:\n  actor.email: alice@example.com\ncondition: (a or b) and c",
                "failed", true
            ),
            ("sel_1:\n  type: nope\nsel_2:\n  type: login.failed\ncondition: 1 of sel_*", "failed", true),
            ("sel_1:\n  type: nope\nsel_2:\n  type: login.failed\ncondition: all of sel_*", "failed", false),
            (
                "s1:\n  type: login.failed\n_f:\n  actor.email: alice@example.com\ncondition: all of them", "failed",
                true
            ),
            ("s1:\n  type: login.failed\ns2:\n  actor.email: x\ncondition: [s2, s1]", "failed", true),
        ])
    func conditions(detection: String, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test("the type index never hides a rule that could match")
    func typeIndex() throws {
        let result = loadRules(
            """
            title: a
            id: typed
            level: low
            detection:
              sel: {type: Login.Failed}
              condition: sel
            ---
            title: b
            id: untyped
            level: low
            detection:
              sel: {actor.email|endswith: example.com}
              condition: sel
            ---
            title: c
            id: negated
            level: low
            detection:
              sel: {type: login.failed}
              condition: not sel
            """)
        let ruleSet = try #require(result.ruleSet)
        #expect(ruleSet.rules.map(\.eventTypes) == [["login.failed"], nil, nil])
        let failed = try Event(document: JSONDocument(parsing: sampleEvents["failed"]!))
        let other = try Event(document: JSONDocument(parsing: sampleEvents["v6"]!))
        #expect(ruleSet.matches(failed) == [0, 1])
        #expect(ruleSet.matches(other) == [1, 2])
    }
}
