import AuditwatchCore
import Foundation
import Testing

private let fiveFailures: DocumentLiteral = [
    "title": "brute", "id": "brute", "level": "high",
    "correlation": [
        "type": "event_count", "rules": ["failed"], "group-by": ["actor.email"], "timespan": "10m",
        "condition": ["gte": 5],
    ],
]

@Suite("Hostile time: Int64 extremes and events from the future")
struct HostileTimeTests {
    @Test(
        "an event at Int64.max does not make later events late or switch correlations off",
        arguments: [Int64.max, 4_102_444_800])
    func futureDoesNotMoveWatermark(future: Int64) throws {
        var harness = try Harness(fiveFailures)
        harness.engine.timeBound = 1_773_800_000 + EventTime.futureSkew
        var alerts = try harness.feed([loginEvent("future", future, who: "z@x")])
        alerts += try harness.feed((0..<5).map { loginEvent("f\($0)", 1_773_700_000 + Int64($0) * 30) })
        alerts += harness.engine.finish()  // correlation matches wait for the watermark; the input ends here
        #expect(alerts.filter { $0.ruleID == "brute" }.count == 1, "correlations still work after the future event")
        #expect(harness.engine.state.counters.lateEvents == 0)
        #expect(harness.engine.watermark.map { $0 < 1_773_800_000 } ?? false)
    }

    @Test(
        "times at Int64.min and Int64.max are processed, held to years 0001–9999, and format",
        arguments: [Int64.min, Int64.min + 1, Int64.max, -1])
    func extremesNeverCrash(time: Int64) throws {
        var harness = try Harness(fiveFailures)
        var alerts = try harness.feed((0..<5).map { loginEvent("x\($0)", time) })
        alerts += try harness.feed([loginEvent("after", 1_773_700_000)])
        alerts += harness.engine.finish()
        #expect(alerts.contains { $0.ruleID == "brute" })
        for alert in alerts {
            #expect(!UTCTime.iso8601(alert.firstAt).isEmpty)
            #expect(!AlertFormatter.textLine(alert).isEmpty)
            #expect(!AlertFormatter.jsonLine(alert).isEmpty)
            #expect(!AlertMessages.slack(alert).isEmpty && !AlertMessages.discord(alert).isEmpty)
            #expect(!AlertMessages.teams(alert).isEmpty && !AlertMessages.pagerDuty(alert, routingKey: "k").isEmpty)
        }
        // A saved state with such times restores (a restart must not crash either).
        let saved = try JSONEncoder().encode(harness.engine.state)
        _ = try JSONDecoder().decode(EngineState.self, from: saved)
    }

    @Test("the time formatter takes every Int64")
    func formatter() {
        #expect(UTCTime.iso8601(Int64.min).hasSuffix("Z"))
        #expect(UTCTime.iso8601(Int64.max).hasSuffix("Z"))
        #expect(UTCTime.iso8601(EventTime.clamped(Int64.min)) == "0001-01-01T00:00:00Z")
        #expect(UTCTime.iso8601(EventTime.clamped(Int64.max)) == "9999-12-31T23:59:59Z")
        #expect(UTCTime.iso8601(-1) == "1969-12-31T23:59:59Z")
        #expect(UTCTime.iso8601(0) == "1970-01-01T00:00:00Z")
    }

    @Test("a watermark an earlier run let run ahead is pulled back by the bound")
    func healsSavedWatermark() throws {
        var harness = try Harness(fiveFailures)
        _ = try harness.feed([loginEvent("future", 4_102_444_800, who: "z@x")])
        #expect(harness.engine.state.maxSeen == 4_102_444_800)
        harness.engine.timeBound = 1_773_800_000
        #expect(harness.engine.state.maxSeen == 1_773_800_000)
    }
}
