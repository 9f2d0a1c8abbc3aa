import Foundation
import Testing

@testable import AuditwatchCore

@Suite("Saved engine state: the compact group form reads old and new files alike")
struct EngineStateTests {
    @Test("a group saved before values were elided and lastUpdate derived still reads the same")
    func oldFormat() throws {
        let saved =
            #"{"entries":[{"time":10,"eventID":"e1","slot":0},{"time":12,"eventID":"e2","slot":0,"value":"v"}],"firing":true,"lastUpdate":12,"values":["a@x"]}"#
        let group = try JSONDecoder().decode(GroupState.self, from: Data(saved.utf8))
        #expect(group.values == ["a@x"])
        #expect(group.values(key: "a@x", fields: 1) == ["a@x"])
        #expect(group.lastUpdate == 12 && group.firing && group.windowStart == nil)
        #expect(group.entries.map(\.eventID) == ["e1", "e2"])
    }

    @Test("a single group value equal to its key is stored once and restored from the key")
    func elidedValues() throws {
        #expect(GroupState.storedValues(["a@x"], key: "a@x") == [])
        #expect(GroupState.storedValues([nil], key: "\u{0}") == [nil], "a missing value stays explicit")
        #expect(GroupState.storedValues(["a", "b"], key: "a\u{1F}b") == ["a", "b"])
        let group = GroupState(entries: [.init(time: 5, eventID: "e", slot: 0, value: nil)], values: [])
        #expect(group.values(key: "a@x", fields: 1) == ["a@x"])
        #expect(group.values(key: "", fields: 0) == [])
        let encoded = try JSONEncoder().encode(group)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""lastUpdate":5"#), "still written, for readers of the older format")
        #expect(try JSONDecoder().decode(GroupState.self, from: encoded) == group)
    }

    @Test("an empty group sorts first for eviction")
    func emptyGroup() {
        #expect(GroupState().lastUpdate == 0)
    }

    @Test("state saved before the reorder buffer and the limit counters still loads, with nothing waiting")
    func beforeReorderBuffer() throws {
        let saved =
            #"{"maxSeen":500,"correlations":{"brute":{"groups":{"a@x":{"entries":[{"time":490,"eventID":"e1","slot":0}],"firing":false,"lastUpdate":490,"values":[]}},"knownValues":{}}},"suppressions":{},"counters":{"events":3,"lateEvents":1,"evictions":0,"suppressed":0,"undocumentedTypes":{}}}"#
        let state = try JSONDecoder().decode(EngineState.self, from: Data(saved.utf8))
        #expect(state.pending.isEmpty && state.completeUntil == nil)
        #expect(state.counters.events == 3 && state.counters.lateEvents == 1 && state.counters.entriesDropped == 0)
        #expect(state.correlations["brute"]?.groups["a@x"]?.entries.map(\.eventID) == ["e1"])
        #expect(try JSONDecoder().decode(EngineState.self, from: JSONEncoder().encode(state)) == state)
    }

    @Test("waiting matches round-trip through the saved state")
    func pendingRoundTrip() throws {
        var state = EngineState()
        state.pending = [
            PendingMatch(
                correlation: "brute", slot: 0, key: "eve@x", values: ["Eve@x"], time: 10, eventID: "e1",
                value: nil, eventTexts: ["198.51.100.1", nil], position: 0)
        ]
        state.completeUntil = 99
        #expect(try JSONDecoder().decode(EngineState.self, from: JSONEncoder().encode(state)) == state)
    }
}
