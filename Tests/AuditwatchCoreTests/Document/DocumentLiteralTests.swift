import AuditwatchCore
import Testing

@Suite("Documents built in code")
struct DocumentLiteralTests {
    @Test("nodes sit where the block YAML the literal stands for has them")
    func locations() throws {
        let literal: DocumentLiteral = [
            "title": "t",
            "detection": ["sel": ["type": "login.failed"], "condition": "sel"],
            "tags": ["a.b", "c.d"],
            "empty": [],
        ]
        #expect(
            literal.yaml == """
                title: t
                detection:
                  sel:
                    type: login.failed
                  condition: sel
                tags:
                - a.b
                - c.d
                empty: []
                """)
        let node = literal.node(file: "r.yml")
        #expect(node.location == SourceLocation(file: "r.yml", line: 1, column: 1))
        let type = try #require(node["detection"]?["sel"]?["type"])
        #expect(type.location == SourceLocation(file: "r.yml", line: 4, column: 11))
        #expect(type.scalar?.resolved == .string("login.failed"))
        let tags = try #require(node["tags"]?.sequence)
        #expect(tags.map(\.location.line) == [7, 8] && tags.map(\.location.column) == [3, 3])
    }

    @Test("scalars resolve as YAML's core schema reads them; quoted ones stay text")
    func scalars() {
        let literal: DocumentLiteral = ["n": 5, "b": true, "z": nil, "s": .quoted("true")]
        let node = literal.node()
        #expect(node["n"]?.scalar?.resolved == .int(5))
        #expect(node["b"]?.scalar?.resolved == .bool(true))
        #expect(node["z"]?.scalar?.resolved == .null)
        #expect(node["s"]?.scalar?.resolved == .string("true"))
    }
}
