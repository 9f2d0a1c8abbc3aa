import AuditwatchCore
import Foundation
import Testing

@testable import AuditwatchSources

@Suite("Parallel reading: chunks parsed on two workers, consumed in file order")
struct ParallelReadTests {
    private func lines() -> [String] {
        var lines: [String] = []
        for index in 0..<300 {
            switch index % 37 {
            case 5: lines.append("{not json")
            case 11:
                let newer = event("page-\(index)-b", index + 1), older = event("page-\(index)-a", index)
                lines.append(#"{"object":"list","data":[\#(newer),\#(older)],"has_more":false}"#)
            case 17: lines.append(#"{"id":"no-time-\#(index)","type":"x"}"#)
            case 23: lines.append("   ")
            default: lines.append(event("e\(index)", index, type: index % 3 == 0 ? "login.failed" : "login.succeeded"))
            }
        }
        return lines
    }

    private func sequential(_ path: String) throws -> (ids: [String], problems: [InputProblem]) {
        var ids: [String] = []
        var problems: [InputProblem] = []
        try EventReader(path: path).read(onProblem: { problems.append($0) }) { ids.append($0.id) }
        return (ids, problems)
    }

    @Test(
        "any chunk size gives the events, problems and line numbers of a plain read",
        arguments: [64, 300, 4096, 1 << 19])
    func sameAsSequential(chunkSize: Int) throws {
        let text = lines().joined(separator: "\n") + "\n" + event("last-without-newline", 999)
        let path = try temporaryFile(text)
        let expected = try sequential(path)
        #expect(ParallelLineReader.isJSONLinesFile(path))

        let ruleSet = RuleSet([])
        var ids: [String] = []
        var counts: [Int] = []
        var problems: [InputProblem] = []
        try ParallelLineReader(path: path, ruleSet: ruleSet, workers: 2, depth: 3, chunkSize: chunkSize)
            .run(onProblem: { problems.append($0) }) { items in
                ids += items.map(\.event.id)
                counts += items.map(\.position.events)
            }
        #expect(ids == expected.ids)
        #expect(counts == Array(1...expected.ids.count), "positions count events across chunks")
        #expect(problems == expected.problems)
        #expect(problems.map(\.line).contains(6), "the malformed line 6 is reported where it is")
    }

    @Test("whole documents and standard input keep the single background reader")
    func otherShapes() throws {
        let array = try temporaryFile(
            "[" + [event("b", 2), event("a", 1)].joined(separator: ",\n") + "]", name: "events.json")
        #expect(!ParallelLineReader.isJSONLinesFile(array))
        #expect(!ParallelLineReader.isJSONLinesFile("-"))
        var ids: [String] = []
        try MatchingPipeline(reader: EventReader(path: array), ruleSet: RuleSet([])).run(onProblem: { _ in }) { batch in
            ids += batch.map(\.event.id)
        }
        #expect(ids == ["a", "b"])
    }

    @Test("a missing file fails as in a plain read")
    func missing() {
        let error = #expect(throws: InputProblem.self) {
            try ParallelLineReader(path: "/nonexistent/events.jsonl", ruleSet: RuleSet([])).run(onProblem: { _ in }) {
                _ in
            }
        }
        #expect(error?.message.contains("cannot open") == true)
    }
}
