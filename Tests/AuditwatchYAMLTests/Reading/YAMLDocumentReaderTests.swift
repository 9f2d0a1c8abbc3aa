import AuditwatchCore
import AuditwatchYAML
import Testing

@Suite("YAML reading through libyaml")
struct YAMLDocumentReaderTests {
    @Test("nodes carry libyaml's line and column")
    func marks() throws {
        let text = "title: x\ndetection:\n  sel:\n    type: login.failed\n"
        let (documents, diagnostics) = YAMLDocumentReader.read(text, file: "r.yml")
        #expect(diagnostics.isEmpty)
        let selection = try #require(documents.first?["detection"]?["sel"])
        let entry = try #require(selection.mapping?.first)
        #expect(entry.key.location == SourceLocation(file: "r.yml", line: 4, column: 5))
        #expect(entry.value.location == SourceLocation(file: "r.yml", line: 4, column: 11))
        #expect(entry.value.scalar?.text == "login.failed")
    }

    @Test("several documents per file")
    func multiDocument() {
        let (documents, _) = YAMLDocumentReader.read("a: 1\n---\nb: 2\n---\n", file: "f.yml")
        #expect(documents.count == 3)
        #expect(documents[1]["b"]?.scalar?.resolved == .int(2))
        #expect(documents[2].scalar?.resolved == .null)
    }

    @Test(
        "scalars resolve by the YAML 1.2 core schema; quoted ones stay strings",
        arguments: [
            ("v: true", ScalarValue.bool(true)), ("v: 'true'", .string("true")), ("v: 42", .int(42)),
            ("v: -7", .int(-7)), ("v: 2.5", .double(2.5)), ("v: ~", .null), ("v: null", .null), ("v:", .null),
            ("v: yes", .string("yes")), ("v: 0x1F", .int(31)), ("v: \"42\"", .string("42")),
            ("v: 1234abc", .string("1234abc")),
        ])
    func scalars(text: String, expected: ScalarValue) {
        #expect(YAMLDocumentReader.read(text, file: "f").documents.first?["v"]?.scalar?.resolved == expected)
    }

    @Test("aliases expand, within a budget")
    func aliases() {
        let ok = YAMLDocumentReader.read("base: &b [a, b]\ncopy: *b\n", file: "f")
        #expect(ok.diagnostics.isEmpty)
        #expect(ok.documents.first?["copy"]?.sequence?.count == 2)
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let previous = level == 1 ? "a" : "l\(level - 1)"
            bomb +=
                "l\(level): &l\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let refused = YAMLDocumentReader.read(bomb, file: "bomb.yml")
        #expect(refused.diagnostics.first?.message.contains("aliases expand to more than") == true)
    }

    @Test("a syntax error is located")
    func syntaxError() throws {
        let (_, diagnostics) = YAMLDocumentReader.read(
            "title: x\ndetection:\n  sel: [a, b\n  condition: sel\n", file: "bad.yml")
        let error = try #require(diagnostics.first)
        #expect(error.severity == .error)
        #expect(error.message.hasPrefix("YAML syntax error"))
        #expect(error.location?.file == "bad.yml")
        #expect((error.location?.line ?? 0) >= 3)
    }

    /// 100,000 levels of flow lists, flow maps and block lists.
    static let deepDocuments: [String: String] = [
        "flow lists": String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        "flow maps": String(repeating: "{a: ", count: 100_000) + "x" + String(repeating: "}", count: 100_000),
        "block lists": String(repeating: "- ", count: 100_000) + "x\n",
    ]

    @Test(
        "nesting past the limit is a located error, not a stack overflow",
        arguments: ["flow lists", "flow maps", "block lists"])
    func depthLimit(kind: String) throws {
        let text = try #require(Self.deepDocuments[kind])
        let (documents, diagnostics) = YAMLDocumentReader.read("title: ok\n---\n" + text, file: "deep.yml")
        #expect(documents.count == 1, "the documents before the deep one are kept")
        let error = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(error.severity == .error)
        #expect(error.message.contains("deeper than \(YAMLDocumentReader.defaultMaxDepth) levels"))
        #expect(error.location?.file == "deep.yml")
        #expect(error.location?.line ?? 0 >= 3)
    }

    @Test("nesting at the limit reads")
    func atTheLimit() {
        let depth = YAMLDocumentReader.defaultMaxDepth
        let (documents, diagnostics) = YAMLDocumentReader.read(
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth), file: "f")
        #expect(diagnostics.isEmpty)
        #expect(documents.count == 1)
    }
}
