public import AuditwatchCore

/// Reads `tests:` lists, from test documents or inline in rule documents.
public enum RuleTestDecoder {
    static let testKeys: Set<String> = [
        "name", "rules", "events", "expect", "calendars", "placeholders", "restart_after", "description",
    ]
    static let expectationKeys: Set<String> = ["rule", "group", "at", "count", "events", "suppressed", "summary"]

    /// The tests of a `tests:` list. `defaultScope` is the rule an inline test belongs to.
    /// A test's own mistakes are in its `problems`; `diagnostics` are those of the list itself.
    public static func decode(
        _ list: DocumentNode, defaultScope: String?
    ) -> (tests: [RuleTestCase], diagnostics: [Diagnostic]) {
        guard let items = list.sequence else {
            return ([], [.error("'tests' must be a list of test cases", at: list.location)])
        }
        var tests: [RuleTestCase] = []
        for item in items {
            var reader = MappingReader(item, what: "a test case", known: testKeys)
            let name =
                reader.string("name", required: true, what: "a test case")
                ?? "unnamed test at line \(item.location.line)"
            var scope: [Located<String>]? = defaultScope.map { [Located($0, at: item.location)] }
            if let rulesNode = reader["rules"] {
                scope = (rulesNode.sequence ?? [rulesNode]).compactMap { node in
                    node.scalar.map { Located($0.text, at: node.location) }
                }
            }
            var events: RuleTestCase.Events = .inline([])
            if let eventsNode = reader["events"] {
                if let path = eventsNode.scalar?.text {
                    events = .fixture(path: path, location: eventsNode.location)
                } else if let list = eventsNode.sequence {
                    var inline: [Located<String>] = []
                    for (index, node) in list.enumerated() {
                        switch InlineEvent.json(node, index: index) {
                        case .success(let json): inline.append(Located(json, at: node.location))
                        case .failure(let problem): reader.diagnostics.append(problem)
                        }
                    }
                    events = .inline(inline)
                } else {
                    reader.diagnostics.append(
                        .error("'events' must be a fixture path or a list of events", at: eventsNode.location))
                }
            } else {
                reader.diagnostics.append(.error("missing 'events' in test '\(name)'", at: item.location))
            }
            var calendars: [String: Located<String>] = [:]
            if let pins = reader["calendars"] {
                var pinReader = MappingReader(pins, what: "'calendars'", known: nil)
                for key in pinReader.orderedKeys {
                    if let path = pinReader.string(key) { calendars[key] = Located(path, at: pins[key]!.location) }
                }
                reader.diagnostics += pinReader.diagnostics
            }
            var placeholders: [String: [String]] = [:]
            if let pins = reader["placeholders"] {
                placeholders = RuleTuning.decodePlaceholders(pins, diagnostics: &reader.diagnostics)
            }
            var restartAfter: Int?
            if let node = reader["restart_after"] {
                if case .int(let value)? = node.scalar?.resolved, value > 0 {
                    restartAfter = Int(value)
                } else {
                    reader.diagnostics.append(
                        .error("'restart_after' must be a positive whole number of events", at: node.location))
                }
            }
            var expectations: [Expectation] = []
            if let expectNode = reader["expect"] {
                if let list = expectNode.sequence {
                    for node in list {
                        if let expectation = decodeExpectation(node, diagnostics: &reader.diagnostics) {
                            expectations.append(expectation)
                        }
                    }
                } else {
                    reader.diagnostics.append(
                        .error("'expect' must be a list of expected alerts ([] for none)", at: expectNode.location))
                }
            } else {
                reader.diagnostics.append(
                    .error(
                        "missing 'expect' in test '\(name)' (write 'expect: []' for a test that nothing fires)",
                        at: item.location))
            }
            var test = RuleTestCase(
                name: name, location: item.location, scope: scope, events: events, calendars: calendars,
                restartAfter: restartAfter, expectations: expectations)
            test.placeholders = placeholders
            test.problems = reader.diagnostics
            tests.append(test)
        }
        return (tests, [])
    }

    private static func decodeExpectation(_ node: DocumentNode, diagnostics: inout [Diagnostic]) -> Expectation? {
        var reader = MappingReader(node, what: "an expected alert", known: expectationKeys)
        defer { diagnostics += reader.diagnostics }
        guard let rule = reader.string("rule", required: true, what: "an expected alert") else { return nil }
        var expectation = Expectation(rule: rule, location: node.location)
        if let groupNode = reader["group"] {
            let groupReader = MappingReader(groupNode, what: "'group'", known: nil)
            reader.diagnostics += groupReader.diagnostics
            var group: [String: String?] = [:]
            for key in groupReader.orderedKeys {
                let value = groupReader[key]!
                if case .null? = value.scalar?.resolved {
                    group[key] = .some(nil)
                } else {
                    group[key] = value.scalar?.text
                }
            }
            expectation.group = group
        }
        if let atNode = reader["at"] {
            switch atNode.scalar?.resolved {
            case .int(let seconds)?: expectation.at = seconds
            case .string(let text)?:
                if let seconds = UTCTime.parse(text) {
                    expectation.at = seconds
                } else {
                    reader.diagnostics.append(
                        .error(
                            "'\(text)' is not a time; write ISO 8601 with a zone (2026-03-29T00:05:00Z) or Unix seconds",
                            at: atNode.location))
                }
            default: reader.diagnostics.append(.error("'at' must be a time", at: atNode.location))
            }
        }
        if let countNode = reader["count"] {
            if case .int(let value)? = countNode.scalar?.resolved {
                expectation.count = Int(value)
            } else {
                reader.diagnostics.append(.error("'count' must be a whole number", at: countNode.location))
            }
        }
        if reader["events"] != nil { expectation.events = reader.strings("events") }
        if let node = reader["suppressed"] {
            if case .int(let value)? = node.scalar?.resolved {
                expectation.suppressed = Int(value)
            } else {
                reader.diagnostics.append(.error("'suppressed' must be a whole number", at: node.location))
            }
        }
        expectation.summary = reader.string("summary")
        return expectation
    }
}

extension Expectation {
    init(rule: String, location: SourceLocation) {
        self.init(
            rule: rule, group: nil, at: nil, count: nil, events: nil, suppressed: nil, summary: nil, location: location)
    }
}
