import Testing

@testable import AuditwatchCore

/// The one-pass lowercase test and hash of `TypeIndex.entry` against the slow path's answer
/// (the type decoded and lowercased): every capital and byte class on the fast path's edge.
@Suite("The type index finds a type however it is spelt")
struct TypeIndexSpellingTests {
    private static let index = TypeIndex(
        byType: ["login.failed": [0, 2], "api_key.created": [1], "zz.az": [3], "ünïcode.type": [4]],
        documented: ["login.failed", "api_key.created", "project.archived"])

    private static func entry(_ raw: String, escaped: Bool = false) -> TypeIndex.Entry? {
        Array(raw.utf8).withUnsafeBufferPointer { index.entry(rawType: $0, isEscaped: escaped) }
    }

    private static func candidates(_ entry: TypeIndex.Entry?) -> [Int]? {
        guard let entry, entry.candidates >= 0 else { return nil }
        return index.candidateLists[Int(entry.candidates)]
    }

    @Test("each capital A-Z, in each position of a name, reaches the lowercase entry")
    func capitals() {
        for name in ["login.failed", "api_key.created", "zz.az"] {
            let expected = Self.candidates(Self.entry(name))
            #expect(expected != nil)
            let bytes = Array(name.utf8)
            for position in bytes.indices where bytes[position] >= UInt8(ascii: "a") {
                var spelt = bytes
                spelt[position] -= 0x20
                let text = String(decoding: spelt, as: UTF8.self)
                #expect(Self.candidates(Self.entry(text)) == expected, "\(text)")
            }
        }
        for capital in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            let text = "zz." + String(UnicodeScalar(capital))
            let lowered = "zz." + String(UnicodeScalar(capital + 0x20))
            #expect(Self.candidates(Self.entry(text)) == Self.candidates(Self.entry(lowered)), "\(text)")
        }
        #expect(Self.candidates(Self.entry("ZZ.AZ")) == [3])
    }

    @Test("bytes beside the capitals' range stay on the fast path and do not match")
    func neighbours() {
        // '@' and '[' sit either side of A-Z; '`' and '{' either side of a-z.
        for text in ["login.failed@", "[login.failed", "login`failed", "login{failed", "login.failed "] {
            #expect(Self.entry(text) == nil, "\(text)")
        }
    }

    @Test("non-ASCII and escaped spellings take the slow path and still match")
    func slowPath() {
        #expect(Self.candidates(Self.entry("ünïcode.type")) == [4])
        #expect(Self.candidates(Self.entry("ÜNÏCODE.TYPE")) == [4])
        #expect(Self.candidates(Self.entry(#"login\u002efailed"#, escaped: true)) == [0, 2])
        #expect(Self.candidates(Self.entry(#"LOGIN\u002EFAILED"#, escaped: true)) == [0, 2])
    }

    @Test("documented types without rules are known; unknown types are not")
    func documented() {
        #expect(Self.entry("project.archived")?.documented == true)
        #expect(Self.entry("PROJECT.ARCHIVED")?.candidates == -1)
        #expect(Self.entry("zz.az")?.documented == false)
        #expect(Self.entry("project.unarchived") == nil)
        #expect(Self.entry("") == nil)
    }
}

@Suite("Rule index by event type")
struct TypeIndexTests {
    private func event(type: String) throws -> Event {
        try Event(
            document: JSONDocument(
                parsing: #"{"id":"e","type":"\#(type)","effective_at":1,"actor":{"type":"session"}}"#))
    }

    @Test("raw, capitalised and escaped spellings of a type reach the same rules")
    func spellings() throws {
        let index = TypeIndex(
            byType: ["login.failed": [0, 2], "api_key.created": [1]], documented: ["login.failed", "logout.succeeded"])
        for spelling in ["login.failed", "Login.Failed", #"login\u002efailed"#] {
            let entry = try event(type: spelling).withView { view in
                index.entry(rawType: view.rawBytes(view.typeNode), isEscaped: view.nodes[view.typeNode].isEscaped)
            }
            #expect(entry.map { index.candidateLists[Int($0.candidates)] } == [0, 2], "\(spelling)")
            #expect(entry?.documented == true)
        }
        let documentedOnly = try event(type: "logout.succeeded").withView {
            index.entry(rawType: $0.rawBytes($0.typeNode), isEscaped: false)
        }
        #expect(documentedOnly?.candidates == -1 && documentedOnly?.documented == true)
        let ruleOnly = try event(type: "api_key.created").withView {
            index.entry(rawType: $0.rawBytes($0.typeNode), isEscaped: false)
        }
        #expect(ruleOnly?.documented == false)
        #expect(
            try event(type: "never.seen").withView { index.entry(rawType: $0.rawBytes($0.typeNode), isEscaped: false) }
                == nil)
    }
}
