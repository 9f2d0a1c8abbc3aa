import AuditwatchCore
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

/// Whether a rule with `detection` matches the named event.
private func fires(_ detection: DocumentLiteral, on name: String) throws -> Bool {
    let result = assemble([["title": "t", "id": "t", "level": "low", "detection": detection]])
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
            (
                ["sel": ["type": "login.failed", "actor.session.ip_address": "198.51.100.7"], "condition": "sel"],
                "failed", true
            ),
            (
                ["sel": ["type": "login.failed", "actor.session.ip_address": "10.0.0.1"], "condition": "sel"], "failed",
                false
            ),
            (["sel": [["type": "nope"], ["actor.email": "alice@example.com"]], "condition": "sel"], "failed", true),
            (["sel": ["type": ["logout.failed", "login.failed"]], "condition": "sel"], "failed", true),
            (["sel": ["type": ["logout.failed", "login.succeeded"]], "condition": "sel"], "failed", false),
        ] as [(DocumentLiteral, String, Bool)])
    func selections(detection: DocumentLiteral, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "values: case, numbers against strings and numbers, booleans, null",
        arguments: [
            (["sel": ["actor.email": "ALICE@example.COM"], "condition": "sel"], "failed", true),
            (["sel": ["actor.email|cased": "ALICE@example.COM"], "condition": "sel"], "failed", false),
            (["sel": ["actor.session.ip_address_details.asn": 1234], "condition": "sel"], "failed", true),
            (
                ["sel": ["details.changes_requested.max_requests_per_1_minute": 500000], "condition": "sel"], "limit",
                true
            ),
            (
                [
                    "sel": ["details.changes_requested.max_requests_per_1_minute": .quoted("500000")],
                    "condition": "sel",
                ], "limit", true
            ),
            (["sel": ["actor": "null"], "condition": "sel"], "limit", true),
            (["sel": ["project": "null"], "condition": "sel"], "failed", true),
            (["sel": ["project": "null"], "condition": "sel"], "key", false),
            (["sel": ["actor.session.user.email": .quoted("")], "condition": "sel"], "failed", false),
        ] as [(DocumentLiteral, String, Bool)])
    func values(detection: DocumentLiteral, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "modifiers",
        arguments: [
            (["sel": ["details.error_message|contains": "WRONG"], "condition": "sel"], "failed", true),
            (["sel": ["actor.email|startswith": "alice@"], "condition": "sel"], "failed", true),
            (["sel": ["actor.email|endswith": .quoted("@example.com")], "condition": "sel"], "failed", true),
            (["sel": ["actor.email|endswith": .quoted("@evil.com")], "condition": "sel"], "failed", false),
            (
                [
                    "sel": ["details.data.scopes|contains|all": ["model.read", "organization.write"]],
                    "condition": "sel",
                ], "key", true
            ),
            (
                ["sel": ["details.data.scopes|contains|all": ["model.read", "billing"]], "condition": "sel"], "key",
                false
            ),
            (["sel": ["details.data.scopes": "api.organization.write"], "condition": "sel"], "key", true),
            (["sel": ["details.data.scopes|endswith": ".write"], "condition": "sel"], "key", true),
            (["sel": ["project|exists": true], "condition": "sel"], "key", true),
            (["sel": ["project|exists": false], "condition": "sel"], "key", false),
            (["sel": ["actor|exists": true], "condition": "sel"], "limit", true),
            (
                ["sel": ["details.changes_requested.max_requests_per_1_minute|gte": 100000], "condition": "sel"],
                "limit", true
            ),
            (
                ["sel": ["details.changes_requested.max_requests_per_1_minute|lt": 100000], "condition": "sel"],
                "limit", false
            ),
            (
                ["sel": ["details.changes_requested.batch_1_day_max_input_tokens|gt": 80], "condition": "sel"], "limit",
                true
            ),
            (["sel": ["actor.email|gt": 5], "condition": "sel"], "failed", false),
            (["sel": ["actor.ip|cidr": "198.51.100.0/24"], "condition": "sel"], "failed", true),
            (["sel": ["actor.ip|cidr": ["10.0.0.0/8", .quoted("2001:db8::/32")]], "condition": "sel"], "v6", true),
            (["sel": ["actor.ip|cidr": "10.0.0.0/8"], "condition": "sel"], "v6", false),
            (["sel": ["type|neq": "login.succeeded"], "condition": "sel"], "failed", true),
            (["sel": ["type|neq": ["login.succeeded", "login.failed"]], "condition": "sel"], "failed", false),
            (["sel": ["project.name|neq": "x"], "condition": "sel"], "failed", true),  // missing: matches, as pySigma
            (["sel": ["actor.email|fieldref": "actor.session.user.email"], "condition": "sel"], "failed", true),
            (["sel": ["actor.id|fieldref": "actor.email"], "condition": "sel"], "failed", false),
            (["sel": ["actor.id|fieldref|neq": "actor.email"], "condition": "sel"], "failed", true),
        ] as [(DocumentLiteral, String, Bool)])
    func modifiers(detection: DocumentLiteral, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "more modifier families: re, base64, encodings, windash, date parts",
        arguments: [
            (["sel": ["actor.email|re": .quoted("^alice@.*\\.com$")], "condition": "sel"], "failed", false),
            (["sel": ["actor.email|re|i": .quoted("^alice@.*\\.com$")], "condition": "sel"], "failed", true),
            (["sel": ["note|re": .quoted("^second")], "condition": "sel"], "custom", false),
            (["sel": ["note|re|m": .quoted("^second")], "condition": "sel"], "custom", true),
            (["sel": ["note|re|s": .quoted("line.second")], "condition": "sel"], "custom", true),
            (["sel": ["note|re": .quoted("line.second")], "condition": "sel"], "custom", false),
            (["sel": ["blob|base64offset|contains": "powershell"], "condition": "sel"], "custom", true),
            (["sel": ["blob|base64offset|contains": "bash"], "condition": "sel"], "custom", false),
            (["sel": ["blob|base64": .quoted("xx powershell -enc yy")], "condition": "sel"], "custom", true),
            (["sel": ["wide|wide|base64offset|contains": "whoami"], "condition": "sel"], "custom", true),
            (["sel": ["wide|utf16le|base64": .quoted("cmd /c whoami")], "condition": "sel"], "custom", true),
            (["sel": ["cmdline|windash|contains": .quoted(" -install")], "condition": "sel"], "custom", true),
            (["sel": ["cmdline|contains": .quoted(" -install")], "condition": "sel"], "custom", false),
            (["sel": ["effective_at|hour": 7], "condition": "sel"], "custom", true),
            (["sel": ["effective_at|hour|gte": 8], "condition": "sel"], "custom", false),
            (["sel": ["when|minute": 15], "condition": "sel"], "custom", true),
            (["sel": ["effective_at|day": 30], "condition": "sel"], "custom", true),
            (["sel": ["effective_at|week": 14], "condition": "sel"], "custom", true),
            (["sel": ["effective_at|month": [3, 4]], "condition": "sel"], "custom", true),
            (["sel": ["effective_at|year|lt": 2026], "condition": "sel"], "custom", false),
        ] as [(DocumentLiteral, String, Bool)])
    func moreModifiers(detection: DocumentLiteral, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test(
        "conditions and precedence over real events",
        arguments: [
            (
                [
                    "a": ["type": "login.failed"], "b": ["type": "nope"], "c": ["actor.email": "nobody"],
                    "condition": "a or b and not c",
                ],
                "failed", true
            ),
            (
                [
                    "a": ["type": "nope"], "b": ["type": "login.failed"], "c": ["actor.email": "alice@example.com"],
                    "condition": "a or b and not c",
                ],
                "failed", false
            ),
            (
                [
                    "a": ["type": "nope"], "b": ["type": "login.failed"], "c": ["actor.email": "alice@example.com"],
                    "condition": "(a or b) and c",
                ],
                "failed", true
            ),
            (
                ["sel_1": ["type": "nope"], "sel_2": ["type": "login.failed"], "condition": "1 of sel_*"], "failed",
                true
            ),
            (
                ["sel_1": ["type": "nope"], "sel_2": ["type": "login.failed"], "condition": "all of sel_*"], "failed",
                false
            ),
            (
                [
                    "s1": ["type": "login.failed"], "_f": ["actor.email": "alice@example.com"],
                    "condition": "all of them",
                ], "failed",
                true
            ),
            (["s1": ["type": "login.failed"], "s2": ["actor.email": "x"], "condition": ["s2", "s1"]], "failed", true),
        ] as [(DocumentLiteral, String, Bool)])
    func conditions(detection: DocumentLiteral, event: String, expected: Bool) throws {
        #expect(try fires(detection, on: event) == expected)
    }

    @Test("the type index never hides a rule that could match")
    func typeIndex() throws {
        let result = assemble([
            [
                "title": "a", "id": "typed", "level": "low",
                "detection": ["sel": ["type": "Login.Failed"], "condition": "sel"],
            ],
            [
                "title": "b", "id": "untyped", "level": "low",
                "detection": ["sel": ["actor.email|endswith": "example.com"], "condition": "sel"],
            ],
            [
                "title": "c", "id": "negated", "level": "low",
                "detection": ["sel": ["type": "login.failed"], "condition": "not sel"],
            ],
        ])
        let ruleSet = try #require(result.ruleSet)
        #expect(ruleSet.rules.map(\.eventTypes) == [["login.failed"], nil, nil])
        let failed = try Event(document: JSONDocument(parsing: sampleEvents["failed"]!))
        let other = try Event(document: JSONDocument(parsing: sampleEvents["v6"]!))
        #expect(ruleSet.matches(failed) == [0, 1])
        #expect(ruleSet.matches(other) == [1, 2])
    }
}
