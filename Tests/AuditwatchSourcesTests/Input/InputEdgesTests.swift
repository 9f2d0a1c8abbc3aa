import AuditwatchCore
import AuditwatchSources
import AuditwatchTestSupport
import Foundation
import Testing

@Suite("Input edges decided: duplicate keys, invalid UTF-8, over-long lines")
struct InputEdgesTests {
    @Test(
        "an event with a key twice in one object (at any depth) is malformed: reported and skipped",
        arguments: [
            #"{"id":"d1","type":"login.succeeded","type":"login.failed","effective_at":1}"#,
            #"{"id":"d1","type":"login.failed","effective_at":1,"actor":{"email":"a@x","email":"b@x"}}"#,
            #"{"id":"d1","type":"login.failed","effective_at":1,"list":[{"k":1,"k":2}]}"#,
            #"{"id":"d1","typ\u0065":"login.failed","type":"login.failed","effective_at":1}"#,
        ])
    func duplicateKeys(line: String) throws {
        let path = try temporaryFile(line + "\n" + event("ok", 2) + "\n")
        let outcome = try readAll(path)
        #expect(outcome.ids == ["ok"])
        #expect(outcome.problems.count == 1)
        #expect(outcome.problems.first?.message.contains("twice in one object") == true, "\(outcome.problems)")
    }

    @Test("different keys with one prefix, and the same key in sibling objects, are fine")
    func notDuplicates() throws {
        let path = try temporaryFile(#"{"id":"n1","type":"t","effective_at":1,"a":{"k":1},"b":{"k":2},"ab":1}"# + "\n")
        #expect(try readAll(path).ids == ["n1"])
    }

    @Test("invalid UTF-8 is replaced by U+FFFD and the event kept, counted")
    func invalidUTF8() throws {
        var bytes = Array(#"{"id":"u1","type":"login.failed","effective_at":1,"ua":"bad "#.utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array(#" end"}"#.utf8) + [0x0A]
        let directory = try makeTemporaryDirectory("aw-utf8")
        let path = directory.appendingPathComponent("e.jsonl").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let reader = EventReader(path: path)
        var texts: [String] = []
        var problems: [InputProblem] = []
        try reader.read(onProblem: { problems.append($0) }) { event in
            texts.append(event.document.text(event.document.member(event.root, "ua")!) ?? "")
        }
        #expect(problems.isEmpty)
        #expect(reader.repairedCount == 1)
        #expect(texts == ["bad \u{FFFD}\u{FFFD} end"])
    }

    @Test(
        "a line over --max-line-bytes is reported like a malformed line, in bounded memory, and reading goes on",
        arguments: [1000, 100_000])
    func lineCap(limit: Int) throws {
        let long = #"{"id":"big","type":"t","effective_at":1,"pad":""# + String(repeating: "x", count: 3 << 20) + #""}"#
        let path = try temporaryFile(event("a", 1) + "\n" + long + "\n" + event("b", 2) + "\n")
        let reader = EventReader(path: path)
        reader.maxLineBytes = limit
        var ids: [String] = []
        var problems: [InputProblem] = []
        try reader.read(onProblem: { problems.append($0) }) { ids.append($0.id) }
        #expect(ids == ["a", "b"])
        #expect(problems.count == 1)
        #expect(problems.first?.line == 2)
        #expect(problems.first?.message.contains("--max-line-bytes") == true, "\(problems)")
        #expect(reader.skippedCount == 1)
    }
}
