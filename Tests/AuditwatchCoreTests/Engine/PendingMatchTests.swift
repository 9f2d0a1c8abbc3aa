import Foundation
import Testing

@testable import AuditwatchCore

@Suite("A waiting match keeps one group value that is its key once, and saves it as before")
struct PendingMatchTests {
    @Test("a value equal to the key is read back and saved as the one group value")
    func valueIsKey() throws {
        let match = PendingMatch(
            correlation: "c", slot: 0, key: "eve@x", values: ["eve@x"], time: 1, eventID: "e1", value: nil,
            eventTexts: nil, position: 0)
        #expect(match.valuesAreKey && match.storedValues.isEmpty)
        #expect(match.values == ["eve@x"])
        let saved = try JSONSerialization.jsonObject(with: JSONEncoder().encode(match)) as? [String: Any]
        #expect(saved?["values"] as? [String] == ["eve@x"])
        #expect(try JSONDecoder().decode(PendingMatch.self, from: JSONEncoder().encode(match)) == match)
    }

    @Test(
        "values that differ from the key (case, several fields, a missing one) are kept as the event has them",
        arguments: [
            (["Eve@x"] as [String?], "eve@x"), (["a", "b"], "a\u{1F}b"), ([nil], "\u{0}"), ([], ""),
        ])
    func valuesKept(values: [String?], key: String) throws {
        let match = PendingMatch(
            correlation: "c", slot: 0, key: key, values: values, time: 1, eventID: "e1", value: "v",
            eventTexts: ["t", nil], position: 2)
        #expect(!match.valuesAreKey)
        #expect(match.values == values)
        #expect(try JSONDecoder().decode(PendingMatch.self, from: JSONEncoder().encode(match)) == match)
    }

    @Test("state saved by the previous version, with the key repeated as the value, reads the same")
    func olderSavedForm() throws {
        let saved =
            #"{"correlation":"c","slot":0,"key":"eve@x","values":["eve@x"],"time":5,"eventID":"e9","position":1}"#
        let match = try JSONDecoder().decode(PendingMatch.self, from: Data(saved.utf8))
        #expect(match.valuesAreKey && match.values == ["eve@x"] && match.value == nil && match.eventTexts == nil)
    }
}
