/// A parsed JSON text: the input bytes and a flat tape of nodes that point into them.
///
/// Strings and numbers are not copied or converted while parsing; readers compare raw bytes
/// and convert only the values a rule actually asks for. A document can be re-filled with
/// `parse(_:)` so the hot loop reuses its storage instead of allocating per event.
public struct JSONDocument: Sendable {
    /// The input text.
    public private(set) var bytes: ContiguousArray<UInt8> = []
    /// The node tape; index 0 is the root value.
    public private(set) var nodes: ContiguousArray<JSONNode> = []

    /// Nesting deeper than this is rejected: it protects the stack and no audit event needs it.
    public static let defaultMaxDepth = 256

    public init() {}

    /// Parses `text` as one JSON value.
    public init(parsing text: some Sequence<UInt8>, maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONParseError) {
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

    /// Replaces the contents with the parse of `input`, keeping allocated capacity.
    public mutating func parse(_ input: UnsafeRawBufferPointer, maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONParseError) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: input.bindMemory(to: UInt8.self))
        nodes.removeAll(keepingCapacity: true)
        if nodes.capacity < 64 { nodes.reserveCapacity(64) }
        var failure: JSONParseError?
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, maxDepth: maxDepth)
            do throws(JSONParseError) { try parser.parseDocument(into: &nodes) } catch { failure = error }
        }
        if let failure {
            nodes.removeAll(keepingCapacity: true)
            throw failure
        }
    }

    /// The root node's index, or nil for an empty document.
    public var root: Int? { nodes.isEmpty ? nil : 0 }

    /// The kind of the node at `index`.
    @inlinable public func kind(_ index: Int) -> JSONKind { nodes[index].kind }
}
