import AuditwatchCore
import Foundation
import Testing

/// The rules of `Tests/Data/SavedState/saved-state-rules.yml`, as documents: every correlation
/// kind, a chain, a window-end condition with suppression, several group-by fields and `new_value`.
private let fixtureRules: [DocumentLiteral] = [
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
            "type": "temporal", "rules": ["failed", "ok"], "group-by": ["actor.email", "actor.ip"],
            "timespan": "90s",
        ],
    ],
    [
        "title": "few", "id": "few", "level": "low",
        "correlation": [
            "type": "event_count", "rules": ["ok"], "group-by": ["actor.email"], "timespan": "2m",
            "condition": ["lt": 2],
        ], "suppress": "10m",
    ],
    [
        "title": "new country", "id": "new_country", "level": "medium",
        "correlation": [
            "type": "new_value", "rules": ["ok"], "group-by": ["actor.email"], "timespan": "1h", "learning": "5m",
            "condition": ["field": "actor.session.ip_address_details.country"],
        ],
    ],
]

/// The fixtures: what a release binary built from main (b51851e, the dictionary-based groups)
/// wrote and printed, `auditwatch run --rules saved-state-rules.yml --state S --output jsonl`
/// over `saved-state-part1.jsonl` and then `saved-state-part2.jsonl`: the engine state it saved
/// after the first file (`saved-state-main.json`, the `engine_state` row), and the alert ids it
/// printed for the second.
@Suite("State saved by the dictionary-based engine loads into the compact one and gives the same alerts")
struct SavedStateCompatibilityTests {
    /// `Tests/Data/SavedState` (outside the target, so the package declares no resources).
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data/SavedState")

    private static func lines(_ name: String) throws -> [String] {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test("main's saved state reads losslessly, and the second file raises main's alerts, ids and order")
    func mainState() throws {
        let saved = try Data(contentsOf: Self.fixtures.appendingPathComponent("saved-state-main.json"))
        let state = try JSONDecoder().decode(EngineState.self, from: saved)
        #expect(state.correlations.values.contains { $0.groups.count > 1 }, "the fixture must hold groups")
        var harness = try Harness(fixtureRules)
        harness.engine.state = state
        #expect(harness.engine.state == state, "the compact form gives back what it was given")
        let reencoded = try JSONDecoder().decode(EngineState.self, from: JSONEncoder().encode(harness.engine.state))
        #expect(reencoded == state)

        var alerts = try harness.feed(Self.lines("saved-state-part2.jsonl"))
        alerts += harness.engine.endOfInput()
        let expected = try Self.lines("saved-state-alerts-main.txt")
        #expect(!expected.isEmpty)
        #expect(alerts.map(\.id) == expected)

        // And the same as this version's own run over both files, state kept in memory.
        var uninterrupted = try Harness(fixtureRules)
        _ = try uninterrupted.feed(Self.lines("saved-state-part1.jsonl"))
        _ = uninterrupted.engine.endOfInput()
        #expect(uninterrupted.engine.state.correlations == state.correlations)
        var rest = try uninterrupted.feed(Self.lines("saved-state-part2.jsonl"))
        rest += uninterrupted.engine.endOfInput()
        #expect(rest == alerts)
        #expect(uninterrupted.engine.state.correlations == harness.engine.state.correlations)
    }
}
