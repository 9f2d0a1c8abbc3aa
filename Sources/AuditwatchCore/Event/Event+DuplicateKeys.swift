extension Event {
    /// The first key that appears twice in one object of the event (at any depth), if any.
    /// Such an event is ambiguous (`{"type":"a","type":"b"}`: some readers take the first,
    /// jq and Python the last), so it is malformed rather than read one way.
    static func duplicateKey(in document: JSONDocument, root: Int) -> String? {
        // The parser already compared plain keys: only a subtree it marked needs the walk.
        guard document.nodes[root].mayRepeatKey else { return nil }
        return document.nodes.withUnsafeBufferPointer { nodes in
            document.bytes.withUnsafeBufferPointer { bytes in
                var index = root
                let end = Int(nodes[root].end)
                // Each object's keys, walking the tape (no allocation per event).
                while index < end {
                    let node = nodes[index]
                    if node.kind == .object && node.length > 1 && node.mayRepeatKey {
                        let objectEnd = Int(node.end)
                        // Keys are compared only when one of their length came before (a bit per
                        // length, mod 64); an escaped key may decode to any length: compare it all.
                        var lengths: UInt64 = 0
                        var key = index + 1
                        while key < objectEnd {
                            let keyNode = nodes[key]
                            let bit: UInt64 = keyNode.isEscaped ? ~0 : 1 << (UInt64(keyNode.length) & 63)
                            if lengths & bit != 0 {
                                var earlier = index + 1
                                while earlier < key {
                                    if sameKey(earlier, key, nodes, bytes, document) { return document.text(key) ?? "" }
                                    earlier = Int(nodes[earlier + 1].end)
                                }
                            }
                            lengths |= bit
                            key = Int(nodes[key + 1].end)
                        }
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    @inline(__always)
    private static func sameKey(
        _ a: Int, _ b: Int, _ nodes: UnsafeBufferPointer<JSONNode>, _ bytes: UnsafeBufferPointer<UInt8>,
        _ document: JSONDocument
    ) -> Bool {
        let left = nodes[a], right = nodes[b]
        if left.isEscaped || right.isEscaped { return document.text(a) == document.text(b) }
        guard left.length == right.length else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memoryEqual(base + Int(left.start), base + Int(right.start), Int(left.length))
    }
}
