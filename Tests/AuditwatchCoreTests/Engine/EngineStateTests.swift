@testable import AuditwatchCore
import Foundation
import Testing

@Suite("Saved engine state: the compact group form reads old and new files alike")
struct EngineStateTests {
    @Test("a group saved before values were elided and lastUpdate derived still reads the same")
    func oldFormat() throws {
        let saved = #"{"entries":[{"time":10,"eventID":"e1","slot":0},{"time":12,"eventID":"e2","slot":0,"value":"v"}],"firing":true,"lastUpdate":12,"values":["a@x"]}"#
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
}
