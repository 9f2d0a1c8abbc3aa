import AuditwatchCore
import AuditwatchYAML
import Testing

/// The document builder the core's tests use places nodes where libyaml does in the text it stands for.
@Suite("Documents built in code match libyaml's reading of their text")
struct DocumentLiteralParityTests {
    static let literals: [DocumentLiteral] = [
        [
            "title": "Failed sign-in", "id": "failed", "level": "low",
            "logsource": ["product": "openai", "service": "audit_log"],
            "detection": [
                "sel": ["type": "login.failed", "actor.session.ip_address|cidr": ["10.0.0.0/8", "192.0.2.0/24"]],
                "keywords": ["needle", "haystack"], "condition": "sel or keywords",
            ],
            "tags": [], "summary": .quoted("it's {actor.email}"),
        ],
        [
            "title": "brute", "id": "brute",
            "correlation": [
                "type": "event_count", "rules": ["failed"], "timespan": "10m", "condition": ["gte": 5],
                "aliases": ["who": ["failed": "actor.email"]],
            ],
            "tests": [["name": "one", "events": [["type": "x", "n": 1]], "expect": []]],
        ],
    ]

    @Test("same shape, text and location for every node", arguments: literals.indices)
    func parity(index: Int) throws {
        let literal = Self.literals[index]
        let parsed = YAMLDocumentReader.read(literal.yaml, file: "p.yml")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)\n\(literal.yaml)")
        let read = try #require(parsed.documents.first)
        #expect(
            differences(literal.node(file: "p.yml"), read).isEmpty, "\(differences(literal.node(file: "p.yml"), read))")
    }

    private func differences(_ built: DocumentNode, _ read: DocumentNode, at path: String = "") -> [String] {
        var found: [String] = []
        if built.location != read.location { found.append("\(path): \(built.location) vs \(read.location)") }
        switch (built.content, read.content) {
        case (.scalar(let left), .scalar(let right)):
            if left.text != right.text || left.resolved != right.resolved {
                found.append("\(path): \(left) vs \(right)")
            }
        case (.sequence(let left), .sequence(let right)) where left.count == right.count:
            for (offset, pair) in zip(left, right).enumerated() {
                found += differences(pair.0, pair.1, at: path + "[\(offset)]")
            }
        case (.mapping(let left), .mapping(let right)) where left.count == right.count:
            for (entry, other) in zip(left, right) {
                let key = entry.key.scalar?.text ?? "?"
                found += differences(entry.key, other.key, at: path + "." + key + "(key)")
                found += differences(entry.value, other.value, at: path + "." + key)
            }
        default:
            found.append("\(path): shapes differ")
        }
        return found
    }
}
