import AuditwatchCore
import Foundation
import Testing

private let bruteForce: DocumentLiteral = [
    "title": "brute", "id": "brute", "level": "high",
    "correlation": [
        "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "10m",
        "condition": ["gte": 5],
    ],
]

@Suite("Correlations in event time")
struct CorrelationTests {
    @Test("event_count fires once, at the event that crosses the threshold, with the events behind it")
    func eventCountFires() throws {
        var harness = try Harness(bruteForce)
        let alerts = try harness.run((0..<8).map { loginEvent("f\($0)", 1000 + Int64($0) * 30) })
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.ruleID == "brute")
        #expect(alert.count == 5)
        #expect(alert.eventIDs == ["f0", "f1", "f2", "f3", "f4"])
        #expect(alert.firstAt == 1000 && alert.lastAt == 1120)
        #expect(alert.group == [GroupValue(field: "actor.email", value: "a@x")])
    }

    @Test(
        "the window is [t - timespan, t] as in the reference: exactly at the timespan is in, one second more is out",
        arguments: [
            (601 as Int64, false), (600, true), (599, true),
        ])
    func boundaries(lastOffset: Int64, fires: Bool) throws {
        var harness = try Harness(bruteForce)
        let times: [Int64] = [0, 60, 120, 180, lastOffset]
        let alerts = try harness.run(times.enumerated().map { loginEvent("e\($0.offset)", 5000 + $0.element) })
        #expect(alerts.isEmpty == !fires)
    }

    @Test("groups are separate; a match lacking a group-by field is in no group (as the reference)")
    func groups() throws {
        var harness = try Harness(bruteForce)
        var events = (0..<4).map { loginEvent("a\($0)", 100 + Int64($0), who: "a@x") }
        events += (0..<4).map { loginEvent("b\($0)", 100 + Int64($0), who: "b@x") }
        events += (0..<5).map { loginEvent("n\($0)", 200 + Int64($0), who: nil) }
        events.append(loginEvent("b4", 300, who: "b@x"))
        let alerts = try harness.run(events)
        #expect(alerts.count == 1)
        #expect(alerts.first?.group == [GroupValue(field: "actor.email", value: "b@x")])
    }

    @Test("an out-of-order event within the lateness counts where it belongs")
    func outOfOrder() throws {
        var harness = try Harness(bruteForce)
        let alerts = try harness.run(
            [100, 110, 120, 130, 105].enumerated().map { loginEvent("e\($0.offset)", Int64($0.element)) })
        #expect(alerts.count == 1)
        #expect(alerts.first?.lastAt == 130)
        #expect(alerts.first?.eventIDs == ["e0", "e4", "e1", "e2", "e3"])
    }

    @Test("an event behind the watermark is late: counted, not correlated")
    func lateEvents() throws {
        var options = EngineOptions()
        options.lateness = 60
        var harness = try Harness(bruteForce, options: options)
        // Four in the window, then time jumps ahead, then a fifth arrives too late.
        var events = (0..<4).map { loginEvent("e\($0)", 1000 + Int64($0)) }
        events.append(loginEvent("other", 1500, who: "z@x"))
        events.append(loginEvent("late", 1010))
        let alerts = try harness.run(events)
        #expect(alerts.isEmpty)
        #expect(harness.engine.state.counters.lateEvents == 1)
    }

    @Test("after firing, the group re-arms only when the condition stops holding")
    func rearm() throws {
        var harness = try Harness(bruteForce)
        var events = (0..<7).map { loginEvent("w1-\($0)", 1000 + Int64($0) * 10) }  // wave 1: fires once
        events.append(loginEvent("quiet", 3000))  // alone: re-arms
        events += (0..<5).map { loginEvent("w2-\($0)", 3100 + Int64($0) * 10) }  // wave 2: fires again
        let alerts = try harness.run(events)
        #expect(alerts.map(\.lastAt) == [1040, 3130])
        #expect(Set(alerts.map(\.id)).count == 2)
    }

    @Test("generate: a referenced base rule alerts on its own only when asked")
    func generate() throws {
        var quiet = try Harness(bruteForce)
        #expect(try quiet.run([loginEvent("x", 1)]).isEmpty)
        var loud = try Harness(bruteForce.setting("generate", true, in: "correlation"))
        #expect(try loud.run([loginEvent("x", 1)]).map(\.ruleID) == ["failed"])
    }

    @Test("value_count counts distinct values and ignores matches without the field")
    func valueCount() throws {
        var harness = try Harness(
            [
                "title": "spray", "id": "spray", "level": "high",
                "correlation": [
                    "type": "value_count", "rules": ["failed"], "group-by": ["actor.ip"], "timespan": "1h",
                    "condition": ["field": "actor.email", "gte": 3],
                ],
            ])
        let alerts = try harness.run([
            loginEvent("1", 10, who: "a@x"), loginEvent("2", 20, who: "a@x"), loginEvent("3", 30, who: nil),
            loginEvent("4", 40, who: "b@x"), loginEvent("5", 50, who: "c@x"), loginEvent("6", 60, who: "d@x"),
        ])
        #expect(alerts.count == 1)
        #expect(alerts.first?.lastAt == 50)
        #expect(alerts.first?.summary.contains("3 distinct values") == true)
    }

    @Test(
        "temporal matches in any order; temporal_ordered only in the listed order (ties in order)",
        arguments: [
            ("temporal", ["failed", "ok"], true), ("temporal", ["ok", "failed"], true),
            ("temporal_ordered", ["failed", "ok"], true), ("temporal_ordered", ["ok", "failed"], false),
            ("temporal_ordered", ["tie", "tie"], true),
        ])
    func temporal(kind: String, order: [String], fires: Bool) throws {
        var harness = try Harness(
            [
                "title": "seq", "id": "seq", "level": "high",
                "correlation": [
                    "type": .scalar(.init(kind)), "rules": ["failed", "ok"], "group-by": ["actor.email"],
                    "timespan": "5m",
                ],
            ])
        let events: [String]
        if order == ["tie", "tie"] {
            events = [loginEvent("s", 100, type: "login.succeeded"), loginEvent("f", 100)]
        } else {
            events = order.enumerated().map { index, rule in
                loginEvent(
                    "e\(index)", 100 + Int64(index) * 60, type: rule == "ok" ? "login.succeeded" : "login.failed")
            }
        }
        #expect(try harness.run(events).isEmpty == !fires)
    }

    @Test("temporal needs every rule within the timespan")
    func temporalTimespan() throws {
        var harness = try Harness(
            [
                "title": "seq", "id": "seq", "level": "high",
                "correlation": [
                    "type": "temporal", "rules": ["failed", "ok"], "group-by": ["actor.email"], "timespan": "5m",
                ],
            ]
        )
        #expect(try harness.run([loginEvent("f", 100), loginEvent("s", 401, type: "login.succeeded")]).isEmpty)
        var edge = try Harness(
            [
                "title": "seq", "id": "seq", "level": "high",
                "correlation": [
                    "type": "temporal", "rules": ["failed", "ok"], "group-by": ["actor.email"], "timespan": "5m",
                ],
            ]
        )
        #expect(try edge.run([loginEvent("f", 100), loginEvent("s", 400, type: "login.succeeded")]).count == 1)
    }

    @Test(
        "conditions a later event could falsify are decided when the window closes",
        arguments: [
            (2, true), (3, false),
        ])
    func windowEnd(failures: Int, fires: Bool) throws {
        var options = EngineOptions()
        options.lateness = 0
        var harness = try Harness(
            [
                "title": "few", "id": "few", "level": "low",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "10m",
                    "condition": ["lt": 3],
                ],
            ],
            options: options)
        var events = (0..<failures).map { loginEvent("f\($0)", 1000 + Int64($0)) }
        events.append(loginEvent("tick", 1000 + 700, who: "other@x"))  // moves the watermark past the window
        let alerts = try harness.feed(events)
        #expect(alerts.isEmpty == !fires)
        #expect(try harness.feed([loginEvent("late-ish", 1002)]).isEmpty)
    }

    @Test("new_value: silent while learning, then alerts on values not seen within the timespan")
    func newValue() throws {
        var harness = try Harness(
            [
                "title": "country", "id": "country", "level": "medium",
                "correlation": [
                    "type": "new_value", "rules": ["ok"], "group-by": ["actor.email"], "timespan": "30d",
                    "learning": "7d", "condition": ["field": "actor.session.ip_address_details.country"],
                ],
            ])
        let day: Int64 = 86_400
        let alerts = try harness.run([
            loginEvent("d0", 0, type: "login.succeeded", country: "DE"),
            loginEvent("d1", 1 * day, type: "login.succeeded", country: "US"),  // learning: no alert
            loginEvent("d8", 8 * day, type: "login.succeeded", country: "DE"),  // known
            loginEvent("d9", 9 * day, type: "login.succeeded", country: "RU"),  // new: alert
            loginEvent("d9b", 9 * day + 60, type: "login.succeeded", country: "RU"),  // known now
            loginEvent("d50", 50 * day, type: "login.succeeded", country: "US"),  // forgotten after 30 days: alert
        ])
        #expect(alerts.map(\.eventIDs) == [["d9"], ["d50"]])
        #expect(alerts.first?.group.last == GroupValue(field: "actor.session.ip_address_details.country", value: "RU"))
    }

    @Test("suppress folds repeats into one follow-up that says how many")
    func suppression() throws {
        var documents = baseRuleDocuments
        documents[2] = documents[2].setting("suppress", "1h").setting("suppress_by", ["actor.email"])
        let result = assemble(documents)
        var engine = DetectionEngine(ruleSet: try #require(result.ruleSet))
        var alerts: [Alert] = []
        for index in 0..<213 {
            alerts += engine.process(
                try Event(
                    document: JSONDocument(
                        parsing: loginEvent("k\(index)", 1000 + Int64(index), type: "api_key.created"))))
        }
        // Another user is another suppress_by group: not folded.
        let other = engine.process(
            try Event(document: JSONDocument(parsing: loginEvent("b0", 1500, type: "api_key.created", who: "b@x"))))
        #expect(other.map(\.eventIDs) == [["b0"]])
        #expect(other.first?.group == [GroupValue(field: "actor.email", value: "b@x")])
        alerts += engine.process(
            try Event(document: JSONDocument(parsing: loginEvent("later", 9000, type: "api_key.created"))))
        #expect(alerts.count == 3)
        #expect(alerts[0].group == [GroupValue(field: "actor.email", value: "a@x")])
        #expect(alerts[0].eventIDs == ["k0"])
        #expect(alerts[1].suppressed == 212)
        #expect(alerts[1].summary.contains("and 212 more"))
        #expect(alerts[1].firstAt == 1001 && alerts[1].lastAt == 1212)
        #expect(alerts[2].eventIDs == ["later"])
        #expect(engine.state.counters.suppressed == 212)
    }

    @Test("chains: a correlation can use another correlation's alerts")
    func chain() throws {
        var harness = try Harness(
            bruteForce,
            [
                "title": "then success", "id": "then_success", "level": "critical",
                "correlation": [
                    "type": "temporal_ordered", "rules": ["brute", "ok"], "group-by": ["actor.email"],
                    "timespan": "15m",
                ],
            ])
        var events = (0..<5).map { loginEvent("f\($0)", 100 + Int64($0)) }
        events.append(loginEvent("s", 300, type: "login.succeeded"))
        events.append(loginEvent("s-other", 300, type: "login.succeeded", who: "b@x"))
        let alerts = try harness.run(events)
        #expect(alerts.map(\.ruleID) == ["brute", "then_success"])
        #expect(alerts.last?.lastAt == 300)
    }

    @Test("the group cap evicts the least recently updated group and counts it")
    func cap() throws {
        var options = EngineOptions()
        options.maxGroupsPerRule = 100
        var harness = try Harness(bruteForce, options: options)
        _ = try harness.run((0..<1_000).map { loginEvent("e\($0)", 1000 + Int64($0), who: "user\($0)@x") })
        #expect(harness.engine.state.correlations["brute"]!.groups.count <= 100)
        #expect(harness.engine.state.counters.evictions >= 900)
    }

    @Test("saving and restoring the state mid-stream gives exactly the alerts of an uninterrupted run")
    func restoreMidStream() throws {
        let all = try Harness(bruteForce.setting("suppress", "30m"))
        var events: [String] = []
        for index in 0..<400 {
            events.append(
                loginEvent("e\(index)", 1000 + Int64(index) * 20, who: "u\(index % 7)@x", ip: "10.0.0.\(index % 3)"))
        }
        var uninterrupted = all
        let expected = try uninterrupted.run(events)
        #expect(!expected.isEmpty)
        for cut in [1, 57, 200, 399] {
            var first = all
            var alerts = try first.feed(Array(events[..<cut]))
            let saved = try JSONEncoder().encode(first.engine.state)
            var second = all
            second.engine.state = try JSONDecoder().decode(EngineState.self, from: saved)
            alerts += try second.run(Array(events[cut...]))
            #expect(alerts == expected, "cut at \(cut)")
        }
    }
}
