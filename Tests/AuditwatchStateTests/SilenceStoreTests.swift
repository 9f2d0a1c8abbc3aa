import AuditwatchCore
import AuditwatchState
import Foundation
import Testing

private func silencedAlert(_ id: String, email: String) -> Alert {
    Alert(
        id: id, ruleID: "brute_force_user", ruleTitle: "Brute force", level: .high, tags: [],
        group: [GroupValue(field: "actor.email", value: email)], count: 5, firstAt: 0, lastAt: 10, eventIDs: [],
        summary: "s")
}

@Suite("Silences in every store (real SQLite and a real PostgreSQL server)", .postgresServer)
struct SilenceStoreTests {
    @Test(
        "silences survive reopening; active ones by time; expiring ends one and is idempotent",
        arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let made = Silence.make(
            id: Silence.newID(), matchers: ["rule=brute_force_user", "group.actor.email=~dana@.*"],
            duration: "2h", author: "ops", comment: "pentest", now: 1000)
        let silence = try #require(made.silence)
        try fixture.open().addSilence(silence)
        let store = try fixture.open()
        #expect(try store.silences() == [silence])
        #expect(try store.silences(activeAt: 999).isEmpty)
        #expect(try store.silences(activeAt: 1000).map(\.id) == [silence.id])
        #expect(try store.silences(activeAt: 1000 + 7200).isEmpty)
        let ended = try #require(try store.expireSilence(id: silence.id, now: 2000))
        #expect(ended.endsAt == 2000)
        #expect(try store.silences(activeAt: 2000).isEmpty)
        #expect(try store.expireSilence(id: silence.id, now: 3000)?.endsAt == 2000)
        #expect(try store.expireSilence(id: "sil_none", now: 3000) == nil)
    }

    @Test(
        "a silenced alert is recorded with status silenced per sink, never due, and stays so",
        arguments: StoreKind.allCases)
    func silencedDeliveries(kind: StoreKind) throws {
        let store = try StoreFixture(kind).open()
        let fresh = try store.checkpoint(
            state: EngineState(), position: nil,
            alerts: [
                silencedAlert("muted", email: "dana@acme.example"), silencedAlert("sent", email: "eve@acme.example"),
            ],
            sinksFor: { _ in ["hook", "chat"] }, silenced: ["muted": "sil_1"])
        #expect(fresh.map(\.id) == ["muted", "sent"], "both are raised and recorded")
        #expect(
            try store.alerts(status: .silenced).map { "\($0.alert.id)/\($0.sink)" } == ["muted/chat", "muted/hook"])
        #expect(
            try store.dueDeliveries(now: .max, sink: nil, afterSequence: 0, limit: 10).map(\.alert.id) == [
                "sent", "sent",
            ])
        #expect(try store.silencedAlerts() == ["muted": "sil_1"])
        #expect(try store.pendingCount(now: .max).pending == 2)
        // A replay of the same batch after the silence ended inserts nothing and sends nothing.
        let replay = try store.checkpoint(
            state: EngineState(), position: nil, alerts: [silencedAlert("muted", email: "dana@acme.example")],
            sinksFor: { _ in ["hook"] })
        #expect(replay.isEmpty)
        #expect(try store.alerts(status: .silenced).count == 2)
        // Routed nowhere: still recorded as silenced (notifier '-').
        try store.checkpoint(
            state: EngineState(), position: nil, alerts: [silencedAlert("nowhere", email: "dana@acme.example")],
            sinksFor: { _ in [] }, silenced: ["nowhere": "sil_1"])
        #expect(try store.alerts(status: .silenced).filter { $0.alert.id == "nowhere" }.map(\.sink) == ["-"])
    }

    @Test(
        "what the console reads: newest first, filtered, per-rule totals, deliveries by alert",
        arguments: StoreKind.allCases)
    func consoleQueries(kind: StoreKind) throws {
        let store = try StoreFixture(kind).open()
        var alerts = (0..<5).map { silencedAlert("a\($0)", email: "u\($0)@acme.example") }
        alerts[4].ruleID = "other"
        alerts[4].lastAt = 99
        try store.checkpoint(state: EngineState(), position: nil, alerts: alerts, sinksFor: { _ in ["hook"] })
        #expect(try store.recentAlerts(limit: 3).map(\.id) == ["a4", "a3", "a2"])
        #expect(try store.recentAlerts(rule: "brute_force_user", limit: 10).map(\.id) == ["a3", "a2", "a1", "a0"])
        #expect(try store.recentAlerts(rule: nil, level: "low", limit: 10).isEmpty)
        #expect(
            try store.recentAlerts(rule: nil, level: nil, limit: 10) { $0.group.first?.value == "u1@acme.example" }
                .map(\.id) == ["a1"])
        #expect(try store.alertCount() == 5)
        let totals = try store.ruleTotals()
        #expect(totals["brute_force_user"]?.alerts == 4 && totals["other"]?.lastAt == 99)
        let deliveries = try store.deliveries(of: ["a1", "a4", "none"])
        #expect(deliveries.keys.sorted() == ["a1", "a4"] && deliveries["a1"]?.first?.sink == "hook")
    }
}
