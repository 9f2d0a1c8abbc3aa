import Testing

@testable import AuditwatchCore

@Suite("JSON documents: refilling, sharing and a tape that grows")
struct JSONStorageTests {
    private func parse(_ document: inout JSONDocument, _ text: String) throws(JSONParseError) {
        let bytes = Array(text.utf8)
        var failure: JSONParseError?
        bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) { try document.parse(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func append(_ document: inout JSONDocument, _ text: String) throws(JSONParseError) -> Int {
        let bytes = Array(text.utf8)
        var result: Result<Int, JSONParseError> = .success(0)
        bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) { result = .success(try document.appendParsing(raw)) } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    @Test("a refilled document never changes an event that still holds the old one")
    func copyOnWrite() throws {
        var document = JSONDocument()
        try parse(&document, #"{"id":"first","type":"a.b","effective_at":1}"#)
        let held = try Event(document: document)
        try parse(&document, #"{"id":"second-and-longer","type":"c.d","effective_at":2,"extra":[1,2,3]}"#)
        let next = try Event(document: document)
        #expect(held.id == "first" && held.type == "a.b" && held.effectiveAt == 1)
        #expect(next.id == "second-and-longer" && next.type == "c.d")
    }

    @Test("inputs denser than the first tape estimate parse whole, both ways", arguments: [10, 1_000, 50_000])
    func tapeGrowth(count: Int) throws {
        let text = "[" + Array(repeating: "0", count: count).joined(separator: ",") + "]"
        var document = JSONDocument()
        try parse(&document, text)
        #expect(document.nodes.count == count + 1)
        #expect(document.elements(0).count == count)
        var shared = JSONDocument()
        _ = try append(&shared, #"{"a":1}"#)
        let root = try append(&shared, text)
        #expect(root == 3, "after the three nodes of {\"a\":1}")
        #expect(shared.elements(root).count == count)
        #expect(JSONWriter.serialize(shared, root) == text)
    }

    @Test("appended values keep their own roots; a bad one leaves the document as it was")
    func appending() throws {
        var document = JSONDocument()
        let first = try append(&document, #"{"id":"e1","type":"login.failed","effective_at":10}"#)
        let nodes = document.nodes.count
        let bytes = document.byteCount
        let error = #expect(throws: JSONParseError.self) { _ = try append(&document, #"{"id": "e2", oops}"#) }
        #expect(error?.offset == 13, "offsets count from the start of the appended text")
        #expect(document.nodes.count == nodes && document.byteCount == bytes)
        let second = try append(&document, #"  {"id":"e3","type":"logout.succeeded","effective_at":11}"#)
        let one = try Event(document: document, root: first)
        let two = try Event(document: document, root: second)
        #expect(one.id == "e1" && one.type == "login.failed")
        #expect(two.id == "e3" && two.type == "logout.succeeded" && two.effectiveAt == 11)
        #expect(JSONWriter.serialize(document, second) == #"{"id":"e3","type":"logout.succeeded","effective_at":11}"#)
    }

    @Test("a document is recycled only once no event holds it")
    func recycling() throws {
        var document = JSONDocument()
        let root = try append(&document, #"{"id":"kept","type":"t","effective_at":5}"#)
        var held: Event? = try Event(document: document, root: root)
        let whileHeld = document.resetIfUnreferenced()
        #expect(!whileHeld, "an event in flight still reads it")
        #expect(held?.id == "kept")
        held = nil
        let afterwards = document.resetIfUnreferenced()
        #expect(afterwards)
        #expect(document.nodes.count == 0 && document.byteCount == 0)
        let again = try append(&document, #"{"id":"next","type":"u","effective_at":6}"#)
        #expect(again == 0)
        #expect(try Event(document: document, root: again).id == "next")
    }

    @Test("stable digests are the same bytes in, the same id out, whether fed at once or in pieces")
    func digestPieces() {
        var pieces = StableDigest()
        pieces.add("rule")
        pieces.add(0)
        pieces.add("e1")
        #expect(pieces.hex == StableDigest.hex("rule\u{0}e1"))
        #expect(AlertID.make(ruleID: "rule", group: [], anchorEventID: "e1") == "aw_" + StableDigest.hex("rule\u{0}e1"))
        #expect(
            AlertID.make(ruleID: "r", group: [GroupValue(field: "u", value: nil)], anchorEventID: "e") == "aw_"
                + StableDigest.hex("r\u{0}u=\u{1}\u{0}e"))
        // Pinned: ids are persisted and de-duplicated across versions, so they must never drift.
        #expect(StableDigest.hex("") == "cbf29ce48422232584222325cbf29ce4")
        #expect(
            AlertID.make(
                ruleID: "brute_force_user", group: [GroupValue(field: "actor.email", value: "a@x")],
                anchorEventID: "audit_log-1")
                == "aw_1807411ec1dc501a7aee05c40ccf56d7")
    }
}
