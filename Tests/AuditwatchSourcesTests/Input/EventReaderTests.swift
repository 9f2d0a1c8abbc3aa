import AuditwatchCore
import AuditwatchSources
import AuditwatchTestSupport
import Foundation
import Testing

/// Writes `text` to a temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "events.jsonl") throws -> String {
    let directory = try makeTemporaryDirectory("aw")
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

func event(_ id: String, _ time: Int, type: String = "login.succeeded") -> String {
    #"{"id":"\#(id)","type":"\#(type)","effective_at":\#(time)}"#
}

struct ReadOutcome {
    var ids: [String] = []
    var problems: [InputProblem] = []
    var format: InputFormat?
}

func readAll(_ path: String, strict: Bool = false) throws(InputProblem) -> ReadOutcome {
    var outcome = ReadOutcome()
    let reader = EventReader(path: path)
    try reader.read(strict: strict, onProblem: { outcome.problems.append($0) }, onEvent: { outcome.ids.append($0.id) })
    outcome.format = reader.format
    return outcome
}

@Suite("Event input: formats, detection and bad lines")
struct EventReaderTests {
    @Test("JSON Lines are read in file order, blank lines and CRLF tolerated")
    func jsonLines() throws {
        let path = try temporaryFile(
            [event("b", 2), "", event("a", 1) + "\r", "   ", event("c", 3)].joined(separator: "\n") + "\n")
        let outcome = try readAll(path)
        #expect(outcome.format == .jsonLines)
        #expect(outcome.ids == ["b", "a", "c"])
        #expect(outcome.problems.isEmpty)
    }

    @Test("an API list response is read whole and evaluated oldest first")
    func listResponse() throws {
        let body = """
            {
              "object": "list",
              "data": [\(event("new", 30)), \(event("mid-b", 20)), \(event("mid-a", 20)), \(event("old", 10))],
              "first_id": "new", "last_id": "old", "has_more": false
            }
            """
        let outcome = try readAll(try temporaryFile(body, name: "page.json"))
        #expect(outcome.format == .listResponse)
        #expect(outcome.ids == ["old", "mid-a", "mid-b", "new"])
    }

    @Test("a JSON array of events, pretty-printed")
    func array() throws {
        let body = "[\n  \(event("x", 5)),\n  \(event("y", 4))\n]\n"
        let outcome = try readAll(try temporaryFile(body, name: "events.json"))
        #expect(outcome.format == .array)
        #expect(outcome.ids == ["y", "x"])
    }

    @Test("a single pretty-printed event")
    func singleEvent() throws {
        let body = "{\n  \"id\": \"solo\",\n  \"type\": \"login.failed\",\n  \"effective_at\": 7\n}\n"
        let outcome = try readAll(try temporaryFile(body, name: "one.json"))
        #expect(outcome.format == .singleEvent)
        #expect(outcome.ids == ["solo"])
    }

    @Test("JSON Lines whose lines are list responses (saved API pages) are expanded")
    func linesOfPages() throws {
        let page1 = #"{"object":"list","data":[\#(event("p1b", 2)),\#(event("p1a", 1))],"has_more":true}"#
        let page2 = #"{"object":"list","data":[\#(event("p2", 3))],"has_more":false}"#
        let outcome = try readAll(try temporaryFile(page1 + "\n" + page2 + "\n"))
        #expect(outcome.ids == ["p1a", "p1b", "p2"])
    }

    @Test("a malformed line in the middle is reported with its number; every good event around it is read")
    func malformedLine() throws {
        let lines = [
            event("a", 1), event("b", 2), #"{"id":"broken","type":"x","effective_at":3"#, "not json at all",
            event("c", 4), #"{"type":"no id","effective_at":5}"#, event("d", 6),
        ]
        let outcome = try readAll(try temporaryFile(lines.joined(separator: "\n")))
        #expect(outcome.ids == ["a", "b", "c", "d"])
        #expect(outcome.problems.map(\.line) == [3, 4, 6])
        #expect(outcome.problems[0].message.contains("malformed JSON"))
        #expect(outcome.problems[0].column != nil)
        #expect(outcome.problems[2].message.contains(#"no "id""#))
        #expect(outcome.problems.allSatisfy { $0.message.hasSuffix("skipped") })
    }

    @Test("strict mode stops at the first bad line")
    func strict() throws {
        let path = try temporaryFile([event("a", 1), "{oops", event("b", 2)].joined(separator: "\n"))
        let error = #expect(throws: InputProblem.self) { try readAll(path, strict: true) }
        #expect(error?.line == 2)
    }

    @Test("a JSONL file whose first line is malformed is still read line by line")
    func malformedFirstLine() throws {
        let outcome = try readAll(
            try temporaryFile(["{\"id\": ", event("a", 1), event("b", 2)].joined(separator: "\n")))
        #expect(outcome.format == .jsonLines)
        #expect(outcome.ids == ["a", "b"])
        #expect(outcome.problems.map(\.line) == [1])
    }

    @Test("lines spanning the read buffer's boundary are reassembled")
    func chunkBoundaries() throws {
        let padding = String(repeating: "x", count: 700)
        var lines: [String] = []
        for index in 0..<3_000 {
            lines.append(#"{"id":"e\#(index)","type":"t","effective_at":\#(index),"pad":"\#(padding)"}"#)
        }
        let outcome = try readAll(try temporaryFile(lines.joined(separator: "\n")))
        #expect(outcome.ids.count == 3_000)
        #expect(outcome.ids.last == "e2999")
        #expect(outcome.problems.isEmpty)
    }

    @Test(
        "unreadable and non-JSON inputs fail clearly",
        arguments: [
            ("missing", "cannot open event file"),
            ("text", "not audit-log JSON"),
            ("brokenArray", "malformed JSON"),
        ])
    func failures(kind: String, fragment: String) throws {
        let path: String
        switch kind {
        case "missing": path = "/nonexistent/events.jsonl"
        case "text": path = try temporaryFile("hello\nworld\n")
        default: path = try temporaryFile("[\(event("a", 1)),\n {\"id\": ]\n", name: "bad.json")
        }
        let error = #expect(throws: InputProblem.self) { try readAll(path) }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test("an empty input has no events and no problems")
    func empty() throws {
        let outcome = try readAll(try temporaryFile("\n\n"))
        #expect(outcome.ids.isEmpty && outcome.problems.isEmpty)
    }
}

@Suite("Event input: lines sharing one document (the two-thread backtest)")
struct SharedDocumentReadTests {
    @Test("shared documents read the same events and problems as one document per line", arguments: [1, 2, 3, 1000])
    func sameAsReused(detachEvery: Int) throws {
        let page = #"{"object":"list","data":[\#(event("p2", 5)),\#(event("p1", 4))],"has_more":false}"#
        let lines = [
            event("a", 1), "{broken", event("b", 2), page, #"{"id":"no-type","effective_at":3}"#, event("c", 6),
            event("d", 7, type: "login.failed"),
        ]
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let expected = try readAll(path)
        var expectedJSON: [String] = []
        try EventReader(path: path).read(onProblem: { _ in }) { expectedJSON.append($0.json) }

        let reader = EventReader(path: path)
        reader.sharesDocuments = true
        var seen: [Event] = []
        var problems: [InputProblem] = []
        try reader.read(strict: false, from: nil, onProblem: { problems.append($0) }) { event, _ in
            seen.append(event)
            if seen.count % detachEvery == 0 { reader.detachDocument() }
        }
        // Read every event only after the whole input: later lines must not have disturbed earlier ones.
        #expect(seen.map(\.id) == expected.ids)
        #expect(seen.map(\.json) == expectedJSON)
        #expect(seen.last?.type == "login.failed" && seen.first?.effectiveAt == 1)
        #expect(problems.map(\.line) == expected.problems.map(\.line))
        #expect(problems.map(\.column) == expected.problems.map(\.column))
    }
}
