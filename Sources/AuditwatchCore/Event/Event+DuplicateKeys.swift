extension Event {
    /// The first key that appears twice in one object of the event (at any depth), if any.
    /// Such an event is ambiguous (`{"type":"a","type":"b"}`: some readers take the first,
    /// jq and Python the last), so it is malformed rather than read one way.
    static func duplicateKey(in document: JSONDocument, root: Int) -> String? {
        document.nodes.withUnsafeBufferPointer { nodes in
            document.bytes.withUnsafeBufferPointer { bytes in
                var index = root
                let end = Int(nodes[root].end)
                // Pairwise over each object's keys, walking the tape (no allocation per event).
                while index < end {
                    if nodes[index].kind == .object && nodes[index].length > 1 {
                        let objectEnd = Int(nodes[index].end)
                        var key = index + 1
                        while key < objectEnd {
                            var other = Int(nodes[key + 1].end)
                            while other < objectEnd {
                                if sameKey(key, other, nodes, bytes, document) { return document.text(key) ?? "" }
                                other = Int(nodes[other + 1].end)
                            }
                            key = Int(nodes[key + 1].end)
                        }
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    private static func sameKey(_ a: Int, _ b: Int, _ nodes: UnsafeBufferPointer<JSONNode>, _ bytes: UnsafeBufferPointer<UInt8>,
                                _ document: JSONDocument) -> Bool {
        let left = nodes[a], right = nodes[b]
        if left.isEscaped || right.isEscaped { return document.text(a) == document.text(b) }
        guard left.length == right.length else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memoryEqual(base + Int(left.start), base + Int(right.start), Int(left.length))
    }
}
