import AuditwatchCore
import Foundation
import Testing

/// Every correlation kind at once, a chain and a window-end condition included, so one shuffled
/// stream exercises them all.
private let everyKind: [DocumentLiteral] = [
    [
        "title": "brute", "id": "brute", "level": "high",
        "correlation": [
            "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "60s",
            "condition": ["gte": 3],
        ], "summary": .quoted("{alert.count} for {group.actor.email}, last from {actor.ip}"),
    ],
    [
        "title": "spray", "id": "spray", "level": "high",
        "correlation": [
            "type": "value_count", "rules": ["failed"], "group-by": ["actor.ip"], "timespan": "2m",
            "condition": ["field": "actor.email", "gte": 3],
        ],
    ],
    [
        "title": "then success", "id": "then_success", "level": "critical",
        "correlation": [
            "type": "temporal_ordered", "rules": ["brute", "ok"], "group-by": ["actor.email"], "timespan": "5m",
        ],
    ],
    [
        "title": "fail and ok", "id": "fail_and_ok", "level": "medium",
        "correlation": [
            "type": "temporal", "rules": ["failed", "ok"], "group-by": ["actor.email"], "timespan": "90s",
        ],
    ],
    [
        "title": "few", "id": "few", "level": "low",
        "correlation": [
            "type": "event_count", "rules": ["ok"], "group-by": ["actor.email"], "timespan": "2m",
            "condition": ["lt": 2],
        ], "suppress": "10m",
    ],
]

@Suite("Correlations do not depend on arrival order within the lateness")
struct CorrelationOrderTests {
    private static let pair: DocumentLiteral = [
        "title": "pair", "id": "pair", "level": "high",
        "correlation": [
            "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "60s",
            "condition": ["gte": 2],
        ],
    ]

    @Test(
        "issue 13: failures at +0, +40, +120, +80 (late), +160 with gte 2 in 60 s give the alerts of the sorted order")
    func issueExample() throws {
        let offsets: [Int64] = [0, 40, 120, 80, 160]
        let events = offsets.map { loginEvent("f\($0)", 1000 + $0) }
        var fileOrder = try Harness(Self.pair)
        let inFileOrder = try fileOrder.run(events)
        var sorted = try Harness(Self.pair)
        let reference = try sorted.run(offsets.sorted().map { loginEvent("f\($0)", 1000 + $0) })
        #expect(reference.count == 1, "one crossing: 0 and 40, and the condition holds from then on")
        #expect(reference.first?.eventIDs == ["f0", "f40"])
        #expect(inFileOrder == reference)
    }

    @Test(
        "property: any arrival order within the lateness gives the same alerts, ids included",
        arguments: Array(1...12) as [UInt64])
    func shuffled(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let lateness: Int64 = 120
        var options = EngineOptions()
        options.lateness = lateness
        // A busy stretch: few users and addresses, so groups fill, cross, re-arm and chain.
        var events: [(time: Int64, json: String)] = []
        var time: Int64 = 10_000
        for index in 0..<240 {
            time += Int64.random(in: 0...12, using: &random)
            let user = ["eve@x", "Eve@x", "bob@x", "amy@x"][Int.random(in: 0..<4, using: &random)]
            let ip = "198.51.100.\(Int.random(in: 1...3, using: &random))"
            let type = Int.random(in: 0..<4, using: &random) == 0 ? "login.succeeded" : "login.failed"
            events.append((time, loginEvent("e\(index)", time, type: type, who: user, ip: ip)))
        }
        var ordered = try Harness(everyKind, options: options)
        let expected = try ordered.run(events.map(\.json))
        #expect(expected.count > 3, "the stream must make the correlations fire")
        #expect(Set(expected.map(\.ruleID)).count >= 4)
        // Arrival key: time plus a delay of at most the lateness, so no event is ever behind the
        // watermark (everything that arrived before it is at most `lateness` newer).
        for round in 0..<4 {
            let arrival = events.map { ($0, $0.time + Int64.random(in: 0...lateness, using: &random)) }
                .sorted { $0.1 < $1.1 }.map(\.0.json)
            var shuffledRun = try Harness(everyKind, options: options)
            let alerts = try shuffledRun.run(arrival)
            #expect(shuffledRun.engine.state.counters.lateEvents == 0)
            #expect(alerts.map(\.id).sorted() == expected.map(\.id).sorted(), "seed \(seed) round \(round)")
            #expect(Set(alerts.map(\.summary)) == Set(expected.map(\.summary)))
            // And across a restart in the middle: the waiting matches are in the saved state.
            let cut = arrival.count / 2
            var first = try Harness(everyKind, options: options)
            var restarted = try first.feed(Array(arrival[..<cut]))
            #expect(first.engine.pendingCount > 0)
            let saved = try JSONEncoder().encode(first.engine.state)
            var second = try Harness(everyKind, options: options)
            second.engine.state = try JSONDecoder().decode(EngineState.self, from: saved)
            restarted += try second.run(Array(arrival[cut...]))
            #expect(
                restarted.map(\.id).sorted() == expected.map(\.id).sorted(), "seed \(seed) round \(round), restarted")
        }
    }

    @Test("events in the same second give the same alerts whichever arrives first")
    func sameSecond() throws {
        let events = [loginEvent("b", 100), loginEvent("a", 100), loginEvent("c", 100, type: "login.succeeded")]
        var forward = try Harness(everyKind)
        let one = try forward.run(events)
        var backward = try Harness(everyKind)
        let other = try backward.run(events.reversed())
        #expect(one == other)
        #expect(!one.isEmpty)
    }

    @Test("a file run releases the waiting matches at its end; a later event is not needed")
    func flushAtEnd() throws {
        var harness = try Harness(Self.pair)
        #expect(
            try harness.feed([loginEvent("a", 100), loginEvent("b", 110)]).isEmpty, "within the lateness: still waiting"
        )
        #expect(harness.engine.pendingCount == 2)
        let alerts = harness.engine.finish()
        #expect(alerts.map(\.eventIDs) == [["a", "b"]])
        #expect(harness.engine.pendingCount == 0)
    }

    @Test("the alert comes once the watermark passes the match that crosses the threshold")
    func releasedByWatermark() throws {
        var options = EngineOptions()
        options.lateness = 30
        var harness = try Harness(Self.pair, options: options)
        #expect(
            try harness.feed([loginEvent("a", 100), loginEvent("b", 110), loginEvent("x", 140, who: "z@x")]).isEmpty)
        let alerts = try harness.feed([loginEvent("y", 141, who: "z@x")])
        #expect(alerts.map(\.lastAt) == [110])
    }
}

extension CorrelationOrderTests {
    @Test(
        "a live source's advance moves the watermark in a quiet period: waiting matches are decided without a newer event"
    )
    func advanceInQuiet() throws {
        var harness = try Harness(Self.pair)
        #expect(try harness.feed([loginEvent("a", 100), loginEvent("b", 110)]).isEmpty)
        #expect(harness.engine.advance(to: 300).isEmpty, "watermark 0: still waiting")
        let alerts = harness.engine.advance(to: 500)
        #expect(alerts.map(\.eventIDs) == [["a", "b"]])
        #expect(harness.engine.state.maxSeen == 110, "the newest event time stays the events' own")
        // The source was wrong: an event turns up behind the point it said it was complete to.
        // Not late (the events' watermark is behind it): correlated, and counted.
        let straggler = try harness.feed([loginEvent("s1", 150, who: "b@x"), loginEvent("s2", 151, who: "b@x")])
        #expect(straggler.map(\.eventIDs) == [["s1", "s2"]])
        #expect(harness.engine.counters.lateEvents == 0)
        #expect(harness.engine.counters.reorderedLate == 2)
        #expect(harness.engine.limitHits.first { $0.limit == "reorder_horizon" }?.count == 2)
    }

    @Test("a firing group whose window emptied has re-armed, whether or not eviction dropped it yet")
    func emptiedWindowRearms() throws {
        let single: DocumentLiteral =
            [
                "title": "any", "id": "any", "level": "high",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "60s",
                    "condition": ["gte": 1],
                ],
            ]
        var quiet = try Harness(single)
        let direct = try quiet.run([loginEvent("a", 1000), loginEvent("b", 1100)])
        // The same two matches with enough unrelated events between them to run eviction.
        var busy = try Harness(single)
        let noise = (0..<2100).map { loginEvent("n\($0)", 1000 + Int64($0) / 40, type: "noise.event") }
        let evicted = try busy.run([loginEvent("a", 1000)] + noise + [loginEvent("b", 1100)])
        #expect(direct.map(\.eventIDs) == [["a"], ["b"]])
        #expect(evicted.map(\.id) == direct.map(\.id))
    }

    @Test("a stateful file run's end releases what was read; events appended later continue the open windows")
    func endOfInput() throws {
        var harness = try Harness(Self.pair)
        #expect(try harness.feed([loginEvent("a", 100)]).isEmpty)
        #expect(harness.engine.endOfInput().isEmpty)
        #expect(harness.engine.pendingCount == 0)
        let saved = try JSONEncoder().encode(harness.engine.state)
        var next = try Harness(Self.pair)
        next.engine.state = try JSONDecoder().decode(EngineState.self, from: saved)
        #expect(try next.feed([loginEvent("b", 130)]).isEmpty)
        #expect(next.engine.endOfInput().map(\.eventIDs) == [["a", "b"]])
    }
}

@Suite("Correlation semantics settled against the reference (pySigma + SQLite backend)")
struct CorrelationReferenceTests {
    @Test("group-by values that differ only in case are one group (Eve@ / eve@); the alert shows the first spelling")
    func groupCase() throws {
        var harness = try Harness(
            [
                "title": "pair", "id": "pair", "level": "high",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "60s",
                    "condition": ["gte": 2],
                ],
            ])
        let alerts = try harness.run([loginEvent("a", 100, who: "Eve@x"), loginEvent("b", 110, who: "eve@x")])
        #expect(alerts.count == 1)
        #expect(alerts.first?.group == [GroupValue(field: "actor.email", value: "Eve@x")])
        var unicode = try Harness(
            [
                "title": "pair", "id": "pair", "level": "high",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "60s",
                    "condition": ["gte": 2],
                ],
            ])
        #expect(try unicode.run([loginEvent("a", 100, who: "ÉVE@x"), loginEvent("b", 110, who: "éve@x")]).count == 1)
    }

    @Test("value_count counts values that differ only in case once")
    func valueCase() throws {
        var harness = try Harness(
            [
                "title": "spray", "id": "spray", "level": "high",
                "correlation": [
                    "type": "value_count", "rules": ["failed"], "group-by": ["actor.ip"], "timespan": "1h",
                    "condition": ["field": "actor.email", "gte": 3],
                ],
            ])
        #expect(
            try harness.run([
                loginEvent("a", 10, who: "eve@x"), loginEvent("b", 20, who: "EVE@x"), loginEvent("c", 30, who: "bob@x"),
            ]).isEmpty)
        var three = try Harness(
            [
                "title": "spray", "id": "spray", "level": "high",
                "correlation": [
                    "type": "value_count", "rules": ["failed"], "group-by": ["actor.ip"], "timespan": "1h",
                    "condition": ["field": "actor.email", "gte": 3],
                ],
            ])
        #expect(
            try three.run([
                loginEvent("a", 10, who: "eve@x"), loginEvent("b", 20, who: "EVE@x"), loginEvent("c", 30, who: "bob@x"),
                loginEvent("d", 40, who: "amy@x"),
            ]).map(\.lastAt) == [40])
    }

    @Test("window-end conditions count both edges of [start, start + timespan]")
    func windowEndEdges() throws {
        var options = EngineOptions()
        options.lateness = 0
        let few: DocumentLiteral =
            [
                "title": "few", "id": "few", "level": "low",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "10m",
                    "condition": ["lt": 2],
                ],
            ]
        var atEdge = try Harness(few, options: options)
        #expect(
            try atEdge.run([loginEvent("a", 1000), loginEvent("b", 1600)]).isEmpty,
            "1600 is in [1000, 1600]: two, not fewer than two")
        var past = try Harness(few, options: options)
        #expect(try past.run([loginEvent("a", 1000), loginEvent("b", 1601)]).count == 2, "two windows of one each")
    }

    @Test("temporal_ordered takes matches in the same second as in order, whatever their ids or arrival")
    func orderedTies() throws {
        let rule: DocumentLiteral =
            [
                "title": "seq", "id": "seq", "level": "high",
                "correlation": [
                    "type": "temporal_ordered", "rules": ["failed", "ok"], "group-by": ["actor.email"],
                    "timespan": "5m",
                ],
            ]
        for events in [
            [loginEvent("z", 100), loginEvent("a", 100, type: "login.succeeded")],
            [loginEvent("a", 100, type: "login.succeeded"), loginEvent("z", 100)],
        ] {
            var harness = try Harness(rule)
            #expect(try harness.run(events).count == 1)
        }
    }
}

@Suite("No silent caps: a count beyond what a group keeps is refused at load")
struct CorrelationCapTests {
    @Test(
        "event_count gte 10001 (or gt 10000) is a located error; gte 10000 loads",
        arguments: [
            (["gte": 10001], true), (["gt": 10000], true), (["lte": 10000], true), (["gte": 10000], false),
            (["lt": 10000], false),
        ] as [(DocumentLiteral, Bool)])
    func refused(condition: DocumentLiteral, refused: Bool) {
        let result = assemble([
            baseRulesForCaps,
            [
                "title": "many", "id": "many", "level": "high",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "1h",
                    "condition": condition,
                ],
            ],
        ])
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect((result.ruleSet == nil) == refused)
        #expect(errors.isEmpty == !refused)
        if refused {
            let error = errors.first
            // doc2.yml: title, id, level, correlation, type, rules and its item, group-by and its item,
            // timespan, condition, then the bound under it (the error is at its number).
            #expect(error?.location?.file == "doc2.yml" && error?.location?.line == 12)
            #expect(error?.message.contains("10000 matches per group") == true)
        }
    }

    @Test("value_count beyond the cap is refused too")
    func valueCountRefused() {
        let many: DocumentLiteral = [
            "title": "many", "id": "many", "level": "high",
            "correlation": [
                "type": "value_count", "rules": ["failed"], "group-by": ["actor.ip"], "timespan": "1h",
                "condition": ["field": "actor.email", "gte": 20000],
            ],
        ]
        #expect(assemble([baseRulesForCaps, many]).ruleSet == nil)
    }

    @Test("the entry cap drops the oldest matches and counts them")
    func entryCapCounted() throws {
        var options = EngineOptions()
        options.maxEntriesPerGroup = 10
        var harness = try Harness(
            [
                "title": "many", "id": "many", "level": "high",
                "correlation": [
                    "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "1h",
                    "condition": ["gte": 5],
                ],
            ],
            options: options)
        _ = try harness.run((0..<25).map { loginEvent("e\($0)", 100 + Int64($0)) })
        #expect(harness.engine.counters.entriesDropped == 15)
    }
}

private let baseRulesForCaps: DocumentLiteral = [
    "title": "failed", "id": "failed", "level": "low", "detection": ["s": ["type": "login.failed"], "condition": "s"],
]
