/// The memory behind a `JSONDocument`: the input text and the node tape, in buffers that the
/// document refills in place while it holds the only reference (copy-on-write), so parsing an
/// event normally allocates nothing. Mutated only through a uniquely referenced document.
// @unchecked: raw buffers on the per-event hot path; a document shares its storage between
// threads only after parsing, when nothing mutates it (a write copies first).
@usableFromInline
final class JSONStorage: @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) @usableFromInline var byteCount = 0
    @exclusivity(unchecked) var byteCapacity: Int
    @exclusivity(unchecked) @usableFromInline var nodes: UnsafeMutablePointer<JSONNode>
    @exclusivity(unchecked) @usableFromInline var nodeCount = 0
    @exclusivity(unchecked) var nodeCapacity: Int

    init(byteCapacity: Int = 1024, nodeCapacity: Int = 128) {
        self.byteCapacity = max(byteCapacity, 1)
        self.nodeCapacity = max(nodeCapacity, 1)
        bytes = .allocate(capacity: self.byteCapacity)
        nodes = .allocate(capacity: self.nodeCapacity)
    }

    deinit {
        bytes.deallocate()
        nodes.deallocate()
    }

    /// Replaces the text with a copy of `input`.
    func setBytes(_ input: UnsafeRawBufferPointer) {
        if input.count > byteCapacity {
            bytes.deallocate()
            byteCapacity = max(input.count, byteCapacity * 2)
            bytes = .allocate(capacity: byteCapacity)
        }
        if let source = input.baseAddress, input.count > 0 {
            UnsafeMutableRawPointer(bytes).copyMemory(from: source, byteCount: input.count)
        }
        byteCount = input.count
    }

    /// Appends a copy of `input` to the text, keeping what is there.
    func appendBytes(_ input: UnsafeRawBufferPointer) {
        let needed = byteCount + input.count
        if needed > byteCapacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, byteCapacity * 2))
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = max(needed, byteCapacity * 2)
        }
        if let source = input.baseAddress, input.count > 0 {
            UnsafeMutableRawPointer(bytes + byteCount).copyMemory(from: source, byteCount: input.count)
        }
        byteCount = needed
    }

    /// Makes room for at least `count` nodes, keeping the tape's contents.
    func ensureNodeCapacity(_ count: Int) {
        guard count > nodeCapacity else { return }
        let capacity = max(count, nodeCapacity * 2)
        let grown = UnsafeMutablePointer<JSONNode>.allocate(capacity: capacity)
        grown.update(from: nodes, count: nodeCount)
        nodes.deallocate()
        nodes = grown
        nodeCapacity = capacity
    }

    /// Makes room for at least `count` nodes; the old tape's contents are dropped.
    func reserveNodes(_ count: Int) {
        nodeCount = 0
        guard count > nodeCapacity else { return }
        nodes.deallocate()
        nodeCapacity = max(count, nodeCapacity * 2)
        nodes = .allocate(capacity: nodeCapacity)
    }
}

/// Read access to a document's node tape.
public struct JSONNodeTape {
    @usableFromInline let storage: JSONStorage

    @usableFromInline init(_ storage: JSONStorage) { self.storage = storage }

    /// The number of nodes.
    @inlinable public var count: Int { storage.nodeCount }
    /// Whether the tape is empty.
    @inlinable public var isEmpty: Bool { storage.nodeCount == 0 }

    @inlinable public subscript(index: Int) -> JSONNode {
        precondition(index >= 0 && index < storage.nodeCount, "node index out of range")
        return storage.nodes[index]
    }

    /// Calls `body` with the nodes.
    @inlinable
    public func withUnsafeBufferPointer<R>(
        _ body: (UnsafeBufferPointer<JSONNode>) throws -> R
    ) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.nodes, count: storage.nodeCount))
        }
    }
}

/// Read access to a document's text.
public struct JSONText {
    @usableFromInline let storage: JSONStorage

    @usableFromInline init(_ storage: JSONStorage) { self.storage = storage }

    /// The number of bytes.
    @inlinable public var count: Int { storage.byteCount }

    /// Calls `body` with the bytes.
    @inlinable
    public func withUnsafeBufferPointer<R>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.bytes, count: storage.byteCount))
        }
    }
}
