import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

func temporaryStatePath() throws -> String {
    let directory = try makeTemporaryDirectory("aw-state")
    return directory.appendingPathComponent("state.sqlite").path
}

private func sampleAlert(_ id: String, at: Int64 = 10) -> Alert {
    Alert(
        id: id, ruleID: "r", ruleTitle: "Rule", level: .high, tags: ["t.x"],
        group: [GroupValue(field: "actor.email", value: "a@x")],
        count: 2, firstAt: at - 5, lastAt: at, eventIDs: ["e1", "e2"], summary: "s")
}

@Suite("State file (real SQLite)")
struct StateStoreTests {
    @Test("a checkpoint round-trips engine state, position and alerts across reopening")
    func roundTrip() throws {
        let path = try temporaryStatePath()
        var state = EngineState()
        state.maxSeen = 1234
        state.counters.events = 7
        let position = InputPosition(
            source: "/x/events.jsonl", byteOffset: 4096, line: 12, events: 7, fingerprint: "abc")
        do {
            let store = try SQLiteStore(path: path)
            let fresh = try store.checkpoint(
                state: state, position: position, alerts: [sampleAlert("a1"), sampleAlert("a2", at: 20)],
                sinks: ["stdout"])
            #expect(fresh.map(\.id) == ["a1", "a2"])
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.engineState() == state)
        #expect(try reopened.position(for: "/x/events.jsonl") == position)
        #expect(try reopened.position(for: "other") == nil)
        let stored = try reopened.alerts(sink: "stdout", status: .pending)
        #expect(stored.map(\.alert.id) == ["a1", "a2"])
        #expect(stored.first?.alert == sampleAlert("a1"))
    }

    @Test("a replayed alert is not inserted or delivered twice")
    func idempotent() throws {
        let store = try SQLiteStore(path: try temporaryStatePath())
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("a1")], sinks: ["stdout"])
        try store.markDelivered(["a1"], sink: "stdout")
        let again = try store.checkpoint(
            state: EngineState(), position: nil, alerts: [sampleAlert("a1"), sampleAlert("a3")], sinks: ["stdout"])
        #expect(again.map(\.id) == ["a3"])
        #expect(try store.alerts(sink: "stdout", status: .sent).map(\.alert.id) == ["a1"])
        #expect(try store.alerts(sink: "stdout", status: .pending).map(\.alert.id) == ["a3"])
        #expect(try store.allAlerts().map(\.id) == ["a1", "a3"])
    }

    @Test("a file that is not a state file is refused clearly")
    func notAStateFile() throws {
        let path = try temporaryStatePath()
        try "this is not sqlite".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StateError.self) { try SQLiteStore(path: path) }
    }
}

@Suite("A zero-byte state file")
struct EmptyStateFileTests {
    @Test("is an error, not a fresh state that would raise every alert again")
    func zeroBytes() throws {
        let directory = try makeTemporaryDirectory("aw-empty")
        let path = directory.appendingPathComponent("state.sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: StateError.self) { try SQLiteStore(path: path) }
        let outcome = try CommandRunner.run(["run", "--events", "examples/logs/acme-day.jsonl", "--state", path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("is empty (0 bytes)"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }
}
