/// A parsed JSON text: the input bytes and a flat tape of nodes that point into them.
///
/// Strings and numbers are not copied or converted while parsing; readers compare raw bytes
/// and convert only the values a rule actually asks for.
public struct JSONDocument: Sendable {
    @usableFromInline var storage = JSONStorage()

    /// The input text.
    @inlinable public var bytes: JSONText { JSONText(storage) }
    /// The node tape; index 0 is the root value.
    @inlinable public var nodes: JSONNodeTape { JSONNodeTape(storage) }

    /// Nesting deeper than this is rejected: it protects the stack and no audit event needs it.
    public static let defaultMaxDepth = 256

    public init() {}

    /// An empty document with room for `bytes` of text and `nodes` nodes before it must grow.
    public init(reservingBytes bytes: Int, nodes: Int) {
        storage = JSONStorage(byteCapacity: bytes, nodeCapacity: nodes)
    }

    /// Bytes of text held (for sizing the next shared document).
    public var byteCount: Int { storage.byteCount }

    /// Parses `text` as one JSON value.
    public init(parsing text: some Sequence<UInt8>, maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONParseError)
    {
        let copy = ContiguousArray(text)
        var failure: JSONParseError?
        copy.withUnsafeBytes { raw in
            do throws(JSONParseError) { try parse(raw, maxDepth: maxDepth) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Parses `text` as one JSON value.
    public init(parsing text: String, maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONParseError) {
        try self.init(parsing: text.utf8, maxDepth: maxDepth)
    }

    /// Replaces the contents with the parse of `input`.
    public mutating func parse(
        _ input: UnsafeRawBufferPointer, maxDepth: Int = JSONDocument.defaultMaxDepth
    ) throws(JSONParseError) {
        // Refill in place unless an event in flight still holds this document's memory.
        if !isKnownUniquelyReferenced(&storage) {
            storage = JSONStorage(byteCapacity: input.count, nodeCapacity: storage.nodeCapacity)
        }
        storage.setBytes(input)
        // Audit events need about one node per 10 bytes; a denser text (or a whole file) makes
        // the parser stop early, and it runs again on a tape four times larger.
        var size = max(storage.nodeCapacity, input.count / 8 + 16)
        while true {
            storage.reserveNodes(size)
            var parser = JSONParser(
                UnsafeBufferPointer(start: storage.bytes, count: storage.byteCount), maxDepth: maxDepth,
                tape: UnsafeMutableBufferPointer(start: storage.nodes, count: storage.nodeCapacity))
            do throws(JSONParseError) {
                try parser.parseDocument()
                storage.nodeCount = parser.nodeCount
                return
            } catch {
                guard parser.outOfSpace else { throw error }
                size = storage.nodeCapacity * 4
            }
        }
    }

    /// Empties the document for reuse if nothing else (no `Event` still in flight) holds its
    /// memory; returns whether it did. Lets a reader recycle a batch's document once the batch
    /// has been consumed, instead of allocating (and faulting in) fresh memory for every batch.
    public mutating func resetIfUnreferenced() -> Bool {
        guard isKnownUniquelyReferenced(&storage) else { return false }
        storage.byteCount = 0
        storage.nodeCount = 0
        return true
    }

    /// Parses `input` after the values this document already holds and returns the index of its
    /// root, so many events can live in one text and one tape (a batch then costs one allocation,
    /// not one per event). Unlike `parse`, this writes into memory that `Event`s read from this
    /// document share: it must not run while another thread reads them. A value that fails to
    /// parse leaves the document as it was; error offsets count from the start of `input`.
    public mutating func appendParsing(
        _ input: UnsafeRawBufferPointer, maxDepth: Int = JSONDocument.defaultMaxDepth
    ) throws(JSONParseError) -> Int {
        let byteBase = storage.byteCount
        let nodeBase = storage.nodeCount
        storage.appendBytes(input)
        var size = max(storage.nodeCapacity, nodeBase + input.count / 8 + 16)
        while true {
            storage.ensureNodeCapacity(size)
            var parser = JSONParser(
                UnsafeBufferPointer(start: storage.bytes, count: storage.byteCount), start: byteBase,
                maxDepth: maxDepth,
                tape: UnsafeMutableBufferPointer(start: storage.nodes, count: storage.nodeCapacity), firstNode: nodeBase
            )
            do throws(JSONParseError) {
                try parser.parseDocument()
                storage.nodeCount = parser.nodeCount
                return nodeBase
            } catch {
                if parser.outOfSpace {
                    size = storage.nodeCapacity * 4
                    continue
                }
                storage.byteCount = byteBase
                storage.nodeCount = nodeBase
                throw JSONParseError(offset: error.offset - byteBase, message: error.message)
            }
        }
    }

    /// The root node's index, or nil for an empty document.
    public var root: Int? { nodes.isEmpty ? nil : 0 }

    /// The kind of the node at `index`.
    @inlinable public func kind(_ index: Int) -> JSONKind { nodes[index].kind }
}
