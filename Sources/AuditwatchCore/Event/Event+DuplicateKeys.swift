extension Event {
    /// The first key that appears twice in one object of the event (at any depth), if any.
    /// Such an event is ambiguous (`{"type":"a","type":"b"}`: some readers take the first,
    /// jq and Python the last), so it is malformed rather than read one way.
    static func duplicateKey(in document: JSONDocument, root: Int) -> String? {
        document.nodes.withUnsafeBufferPointer { nodes in
            document.bytes.withUnsafeBufferPointer { bytes in
                var index = root
                let end = Int(nodes[root].end)
                var keys: [Int] = []
                while index < end {
                    if nodes[index].kind == .object && nodes[index].length > 1 {
                        keys.removeAll(keepingCapacity: true)
                        var cursor = index + 1
                        let objectEnd = Int(nodes[index].end)
                        while cursor < objectEnd {
                            keys.append(cursor)
                            cursor = Int(nodes[cursor + 1].end)
                        }
                        for (position, key) in keys.enumerated() {
                            for other in keys[(position + 1)...] where sameKey(key, other, nodes, bytes, document) {
                                return document.text(key) ?? ""
                            }
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
