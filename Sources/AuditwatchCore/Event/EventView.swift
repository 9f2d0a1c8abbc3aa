/// A borrowed view of one parsed event for the evaluation hot path.
///
/// It holds raw pointers into the document's node tape and text, valid only inside
/// `Event.withView`. Because it holds no references, passing it through the evaluator and into
/// closures costs no reference counting — which on the full rule pack was a quarter of the time.
public struct EventView {
    @usableFromInline let nodes: UnsafePointer<JSONNode>
    @usableFromInline let bytes: UnsafePointer<UInt8>
    /// The index of the event's object in the node tape.
    public let root: Int
    @usableFromInline let typeNode: Int
    /// `effective_at`, Unix seconds.
    public let effectiveAt: Int64

    @usableFromInline
    init(nodes: UnsafePointer<JSONNode>, bytes: UnsafePointer<UInt8>, root: Int, typeNode: Int, effectiveAt: Int64) {
        self.nodes = nodes
        self.bytes = bytes
        self.root = root
        self.typeNode = typeNode
        self.effectiveAt = effectiveAt
    }

    /// The kind of the node at `index`.
    @inlinable @inline(__always)
    public func kind(_ index: Int) -> JSONKind { nodes[index].kind }

    /// Index of the first node after the subtree at `index`.
    @inlinable @inline(__always)
    func end(_ index: Int) -> Int { Int(nodes[index].end) }

    /// The raw bytes of a scalar node (string content without quotes, escapes not decoded).
    @inlinable @inline(__always)
    public func rawBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        return UnsafeBufferPointer(start: bytes + Int(node.start), count: Int(node.length))
    }

    /// Calls `body` with the UTF-8 of a scalar as text: a string decoded, a number's or a
    /// literal's own text. Only escaped strings pay for a copy.
    @inlinable
    public func withText<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let node = nodes[index]
        if node.kind == .string && node.isEscaped {
            let decoded = JSONStringDecoder.decode(rawBytes(index))
            return try decoded.withUnsafeBufferPointer(body)
        }
        return try body(rawBytes(index))
    }

    /// A scalar's text as a `String` (strings decoded); nil for objects and arrays.
    public func text(_ index: Int) -> String? {
        switch kind(index) {
        case .object, .array: return nil
        default: return withText(index) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// A number node's value as an integer, when it is one and fits.
    public func int64(_ index: Int) -> Int64? {
        let node = nodes[index]
        guard node.kind == .number, node.isInteger else { return nil }
        return JSONDocument.integer(rawBytes(index))
    }

    /// A number node's value as a `Double`.
    public func double(_ index: Int) -> Double? {
        guard kind(index) == .number else { return nil }
        if let integer = int64(index) { return Double(integer) }
        return Double(String(decoding: rawBytes(index), as: UTF8.self))
    }

    /// Whether the string node at `keyIndex` decodes to exactly `wanted`.
    @inlinable @inline(__always)
    public func keyEquals(_ keyIndex: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let node = nodes[keyIndex]
        if !node.isEscaped {
            guard Int(node.length) == wanted.count else { return false }
            return wanted.count == 0 || memoryEqual(bytes + Int(node.start), wanted.baseAddress!, wanted.count)
        }
        return JSONStringDecoder.decode(rawBytes(keyIndex)).elementsEqual(wanted)
    }

    /// Calls `body` on `node`, or on each scalar element when it is an array, until it returns true.
    @inlinable
    func anyScalar(_ node: Int, _ body: (Int) -> Bool) -> Bool {
        guard kind(node) == .array else { return body(node) }
        var cursor = node + 1
        let end = end(node)
        while cursor < end {
            let elementKind = kind(cursor)
            if elementKind != .array && elementKind != .object && body(cursor) { return true }
            cursor = self.end(cursor)
        }
        return false
    }
}

extension Event {
    /// Calls `body` with a borrowed view of this event; the view must not escape `body`.
    @inlinable
    public func withView<Result>(_ body: (EventView) throws -> Result) rethrows -> Result {
        let storage = document.storage
        return try withExtendedLifetime(storage) {
            try body(EventView(nodes: storage.nodes, bytes: storage.bytes, root: root, typeNode: typeNode, effectiveAt: effectiveAt))
        }
    }
}
