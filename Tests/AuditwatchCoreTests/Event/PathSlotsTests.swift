import Testing

@testable import AuditwatchCore

/// The slot table resolves paths through the rule set's `PathTrie` (each object scanned once per
/// trie node); on literal dotted keys, duplicate keys, escaped keys, arrays and derived fields it
/// must reach the nodes `EventView.resolve` reaches, so the rules matched are the plain ones.
@Suite("Slot table through the path trie equals plain resolution")
struct PathSlotsTests {
    static let location = SourceLocation(file: "t.yml", line: 1, column: 1)

    static func rule(_ field: String, _ value: String) throws -> CompiledRule {
        let test = FieldTest(
            field: field, modifiers: [], values: [Located(.string(value), at: location)], isList: false,
            location: location)
        let detection = Detection(
            selections: [Selection(name: "sel", alternatives: [[test]], location: location)],
            conditions: [Located("sel", at: location)], location: location)
        return try #require(
            RuleCompiler.compile(
                Rule(id: field + value, title: "t", level: .low, detection: detection, location: location)
            )
            .rule)
    }

    @Test("dotted, duplicate, escaped and bracketed keys, arrays and derived fields")
    func awkwardKeys() throws {
        let rules = [
            try Self.rule("actor.session.user.email", "a@x"),  // 0
            try Self.rule("actor.session.ip_address", "10.0.0.1"),  // 1
            try Self.rule("actor.session.user.id", "u1"),  // 2
            try Self.rule("[project.archived].id", "p1"),  // 3
            try Self.rule("project.archived.id", "p2"),  // 4
            try Self.rule("actor.email", "a@x"),  // 5 (derived)
            try Self.rule("details.id", "k1"),  // 6 (derived)
            try Self.rule("actor.type", "session"),  // 7
        ]
        let ruleSet = RuleSet(rules)
        let events: [(String, [Int])] = [
            (
                #"{"id":"a","type":"t","effective_at":1,"actor":{"type":"session","session":{"user":{"id":"u1","#
                    + #""email":"a@x"},"ip_address":"10.0.0.1"}}}"#, [0, 1, 2, 5, 7]
            ),
            // The longer literal key wins wherever it stands; the shorter one still serves other paths.
            (
                #"{"id":"b","type":"t","effective_at":1,"actor":{"session":{"user":{"email":"no"}}},"#
                    + #""actor.session":{"user":{"email":"a@x","id":"u1"}},"actor.session.ip_address":"10.0.0.1"}"#,
                [0, 1, 2, 5]
            ),
            // Duplicate keys: the first wins.
            (
                #"{"id":"c","type":"t","effective_at":1,"actor":{"type":"session"},"actor":{"type":"x"}}"#, [7]
            ),
            // An escaped key is read decoded.
            (
                #"{"id":"d","type":"t","effective_at":1,"act\u006fr":{"type":"session","session":{"ip_address":"#
                    + #""10.0.0.1"}}}"#, [1, 7]
            ),
            // A bracketed segment reads only the literal key; the plain path reads both forms.
            (#"{"id":"e","type":"t","effective_at":1,"project.archived":{"id":"p1"}}"#, [3]),
            (#"{"id":"f","type":"t","effective_at":1,"project":{"archived":{"id":"p2"}}}"#, [4]),
            (#"{"id":"g","type":"t","effective_at":1,"project.archived":{"id":"p2"}}"#, [4]),
            // Arrays on the way, and a detail object keyed by type.
            (
                #"{"id":"h","type":"t","effective_at":1,"actor":[{"type":"x"},{"type":"session"}],"#
                    + #""t":{"id":"k1"}}"#, [6, 7]
            ),
            (#"{"id":"i","type":"t","effective_at":1,"actor":"session"}"#, []),
        ]
        for (line, wanted) in events {
            let event = try Event(document: try JSONDocument(parsing: line))
            let (indexed, plain) = event.withView { view in (ruleSet.match(view).rules, ruleSet.matchPlain(view)) }
            #expect(plain == wanted, "\(line)")
            #expect(indexed == plain, "\(line)")
        }
    }
}
