/// A borrowed view of one parsed event for the evaluation hot path.
///
/// It holds raw pointers into the document's node tape and text, valid only inside
/// `Event.withView`. Because it holds no references, passing it through the evaluator and into
/// closures costs no reference counting — which on the full rule pack was a quarter of the time.
/// Its readers (`kind`, `text`, `keyEquals`, …) are `JSONTapeReading`'s, shared with
/// `JSONDocument`.
public struct EventView: JSONTapeReading {
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
}

extension Event {
    /// Calls `body` with a borrowed view of this event; the view must not escape `body`.
    @inlinable
    public func withView<R>(_ body: (EventView) throws -> R) rethrows -> R {
        let storage = document.storage
        return try withExtendedLifetime(storage) {
            try body(
                EventView(
                    nodes: storage.nodes, bytes: storage.bytes, root: root, typeNode: typeNode, effectiveAt: effectiveAt
                ))
        }
    }
}
