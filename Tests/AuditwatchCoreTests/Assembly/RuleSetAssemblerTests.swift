import AuditwatchCore
import Testing

/// Rule-set linking without YAML: documents built in code, time zones from a fixed lookup.
@Suite("Rule-set assembly in the core")
struct RuleSetAssemblerTests {
    private static func rule(_ id: String, type: String = "login.failed") -> DocumentLiteral {
        [
            "title": .quoted(id), "id": .quoted(id), "level": "low",
            "logsource": ["product": "openai", "service": "audit_log"],
            "detection": ["sel": ["type": .quoted(type)], "condition": "sel"],
        ]
    }

    @Test("documents link into a rule set: rules, a filter naming one, a correlation over them")
    func links() throws {
        let filter: DocumentLiteral = [
            "title": "quiet bot", "logsource": ["product": "openai", "service": "audit_log"],
            "filter": [
                "rules": ["a"], "bot": ["actor.session.user.email": "bot@example.com"], "condition": "not bot",
            ],
        ]
        let correlation: DocumentLiteral = [
            "title": "many", "id": "many", "level": "high",
            "correlation": [
                "type": "event_count", "rules": ["a"], "group-by": ["actor.session.user.email"], "timespan": "10m",
                "condition": ["gte": 3],
            ],
        ]
        let result = assemble([Self.rule("a"), Self.rule("b", type: "login.succeeded"), filter, correlation])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics)")
        #expect(result.rules.map(\.rule.id) == ["a", "b"])
        #expect(result.filters.count == 1)
        #expect(result.correlations.map(\.rule.id) == ["many"])
        _ = try #require(result.ruleSet)
    }

    @Test("a duplicate id is an error at the second definition, naming the first")
    func duplicateID() throws {
        let result = assemble([Self.rule("a"), Self.rule("a")])
        let error = try #require(result.diagnostics.first { $0.message.hasPrefix("duplicate rule id 'a'") })
        #expect(error.location?.file == "doc2.yml")
        #expect(error.message.hasSuffix("it is also defined at doc1.yml:1:1"))
        #expect(result.ruleSet == nil)
    }

    @Test("a filter naming an unknown rule is an error at the name, with a suggestion")
    func filterUnknownRule() throws {
        let filter: DocumentLiteral = [
            "title": "f", "logsource": ["product": "openai"],
            "filter": ["rules": ["alhpa"], "x": ["type": "y"], "condition": "not x"],
        ]
        let result = assemble([Self.rule("alpha"), filter])
        let error = try #require(result.diagnostics.first { $0.message.hasPrefix("filter names unknown rule") })
        #expect(error.message == "filter names unknown rule 'alhpa'; did you mean 'alpha'?")
        // title, logsource, its product, filter, rules, then the list item under it
        #expect(error.location == SourceLocation(file: "doc2.yml", line: 6, column: 5))
    }

    @Test("correlations in a cycle are an error; chains run lower correlations first")
    func correlationOrder() {
        func chained(_ id: String, over rule: String) -> DocumentLiteral {
            [
                "title": .quoted(id), "id": .quoted(id), "level": "high",
                "correlation": [
                    "type": "event_count", "rules": [.quoted(rule)], "group-by": ["actor.session.user.email"],
                    "timespan": "10m", "condition": ["gte": 2],
                ],
            ]
        }
        let ordered = assemble([Self.rule("a"), chained("upper", over: "lower"), chained("lower", over: "a")])
        #expect(ordered.correlations.map(\.rule.id) == ["lower", "upper"])
        let cycle = assemble([Self.rule("a"), chained("x", over: "y"), chained("y", over: "x")])
        #expect(cycle.diagnostics.contains { $0.message.contains("is part of a cycle of correlations") })
    }

    @Test("a calendar's zone comes from the lookup; an unknown one is an error")
    func calendarZones() {
        let calendar: DocumentLiteral = [
            "calendar": [
                "name": "office", "location": "Europe/Berlin",
                "time_intervals": [
                    [
                        "weekdays": [.quoted("monday:friday")],
                        "times": [["start_time": .quoted("09:00"), "end_time": .quoted("17:00")]],
                    ]
                ],
            ]
        ]
        let unknown = assemble([calendar])
        #expect(unknown.calendars.isEmpty)
        #expect(unknown.diagnostics.contains { $0.message == "unknown time zone 'Europe/Berlin'" })
        let known = assemble([calendar], zones: FixedZones(["Europe/Berlin": .utc]))
        #expect(known.calendars["office"] != nil, "\(known.diagnostics)")
    }
}
