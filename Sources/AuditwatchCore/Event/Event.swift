/// One audit-log event: a view of an object inside a parsed `JSONDocument`.
///
/// Only `id`, `type` and `effective_at` are required (as in the API's schema); everything else,
/// including unknown types and fields, is kept and readable by path.
public struct Event: Sendable {
    /// The document that holds the event's JSON.
    public let document: JSONDocument
    /// The index of the event's object in `document.nodes`.
    public let root: Int
    /// `effective_at`, Unix seconds, held within years 0001–9999 (`EventTime`).
    public let effectiveAt: Int64
    @usableFromInline let idNode: Int
    @usableFromInline let typeNode: Int

    /// Reads the event at `root` of `document`. Throws when a required field is missing or mistyped.
    public init(document: JSONDocument, root: Int = 0) throws(EventError) {
        guard root < document.nodes.count, document.kind(root) == .object else {
            throw EventError("an event must be a JSON object")
        }
        var idNode: Int?
        var typeNode: Int?
        var timeNode: Int?
        var cursor = root + 1
        let end = Int(document.nodes[root].end)
        // One pass over the top-level keys finds all three required fields.
        while cursor < end {
            let value = cursor + 1
            let key = document.nodes[cursor]
            if !key.isEscaped {
                switch key.length {
                case 2 where idNode == nil && Event.keyIs(document, cursor, "id"): idNode = value
                case 4 where typeNode == nil && Event.keyIs(document, cursor, "type"): typeNode = value
                case 12 where timeNode == nil && Event.keyIs(document, cursor, "effective_at"): timeNode = value
                default: break
                }
            }
            cursor = Int(document.nodes[value].end)
        }
        guard let idNode else { throw EventError("event has no \"id\"") }
        guard document.kind(idNode) == .string else { throw EventError("event \"id\" must be a string") }
        guard let typeNode else { throw EventError("event has no \"type\"") }
        guard document.kind(typeNode) == .string else { throw EventError("event \"type\" must be a string") }
        guard let timeNode else { throw EventError("event has no \"effective_at\"") }
        guard document.kind(timeNode) == .number,
            let seconds = document.int64(timeNode) ?? document.double(timeNode).flatMap(Int64.init(exactly:))
        else {
            throw EventError("event \"effective_at\" must be a whole number of Unix seconds")
        }
        if let key = Event.duplicateKey(in: document, root: root) {
            throw EventError(
                "event has the key \"\(MessageText.fit(AlertFormatter.printable(key), 80))\" twice in one object: its meaning is ambiguous"
            )
        }
        self.document = document
        self.root = root
        self.idNode = idNode
        self.typeNode = typeNode
        self.effectiveAt = EventTime.clamped(seconds)
    }

    /// The event's `id`.
    public var id: String { document.text(idNode) ?? "" }
    /// The event's `type`.
    public var type: String { document.text(typeNode) ?? "" }

    /// The event as compact JSON.
    public var json: String { JSONWriter.serialize(document, root) }

    private static func keyIs(_ document: JSONDocument, _ index: Int, _ name: StaticString) -> Bool {
        document.keyEquals(index, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }
}
