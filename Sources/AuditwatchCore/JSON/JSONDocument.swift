/// A parsed JSON text: the input bytes and a flat tape of nodes that point into them.
///
/// Strings and numbers are not copied or converted while parsing; readers compare raw bytes
/// and convert only the values a rule actually asks for.
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

    /// Replaces the contents with the parse of `input`.
    public mutating func parse(_ input: UnsafeRawBufferPointer, maxDepth: Int = JSONDocument.defaultMaxDepth) throws(JSONParseError) {
        // Fresh buffers filled in place: one allocation and a memcpy, instead of element-wise
        // appends (a copy of the old buffers may still be held by an event in flight).
        bytes = ContiguousArray(unsafeUninitializedCapacity: input.count) { buffer, initialized in
            if let source = input.baseAddress, input.count > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source, byteCount: input.count)
            }
            initialized = input.count
        }
        // Audit events need about one node per 10 bytes; a denser text (or a whole file) makes
        // the parser stop early, and it runs again on a tape four times larger.
        var size = max(64, input.count / 8 + 16)
        while true {
            var failure: JSONParseError?
            var outOfSpace = false
            let text = bytes
            nodes = ContiguousArray(unsafeUninitializedCapacity: size) { tape, initialized in
                text.withUnsafeBufferPointer { buffer in
                    var parser = JSONParser(buffer, maxDepth: maxDepth, tape: tape)
                    do throws(JSONParseError) { try parser.parseDocument() } catch { failure = error }
                    outOfSpace = parser.outOfSpace
                    initialized = failure == nil ? parser.nodeCount : 0
                }
            }
            if outOfSpace {
                size *= 4
                continue
            }
            if let failure { throw failure }
            return
        }
    }

    /// The root node's index, or nil for an empty document.
    public var root: Int? { nodes.isEmpty ? nil : 0 }

    /// The kind of the node at `index`.
    @inlinable public func kind(_ index: Int) -> JSONKind { nodes[index].kind }
}
