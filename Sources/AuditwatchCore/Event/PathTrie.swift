/// The rule set's slot paths as a trie of segments, built once per rule set, so that resolving
/// them scans each object of an event once per trie node instead of once per path.
///
/// `EventView.longestKey` must look at every member of an object (a longer literal key such as
/// `"actor.session"` may come after `"actor"`), and with one walk per path the root and
/// `actor.session` objects were scanned once for every path below them. Here a trie node (a
/// prefix of segments) owns a hash of every key any path may meet there (its candidates,
/// joined segments); the first path to reach an object at that node scans the object once and
/// records the first member for each of those keys, and every path then picks its longest
/// candidate present, as `longestKey` would. An object with an escaped key, or a second object
/// met at the same trie node, is resolved by `longestKey` as before.
// @unchecked: written only while the rule set is built, read-only after (shared by the matching threads).
final class PathTrie: @unchecked Sendable {
    /// Flat, reference-free views of the tables, for `PathSlots`.
    struct Tables {
        /// Per slot: the first of its steps (one per segment) in `step…`; `slotStep[slot + 1]` ends it.
        let slotStep: FrozenArray<Int32>
        /// Per step: the trie node the path is at, and its candidates' range in `candidate…`.
        let stepNode: FrozenArray<Int32>
        let stepCandidate: FrozenArray<Int32>
        /// Per candidate, longest first within a step: its key's entry and the segment after it.
        let candidateEntry: FrozenArray<Int32>
        let candidateNext: FrozenArray<Int32>
        /// Per trie node: its entries' range, and its hash table's start and mask in `buckets`.
        let nodeEntry: FrozenArray<Int32>
        let nodeBucket: FrozenArray<Int32>
        let nodeMask: FrozenArray<Int32>
        let buckets: FrozenArray<Int32>
        /// Per entry: hash, bytes in `arena`.
        let entryHash: FrozenArray<UInt64>
        let entryOffset: FrozenArray<Int32>
        let entryLength: FrozenArray<Int32>
        let arena: FrozenArray<UInt8>
        /// Per slot: its derived alternatives' slots (`actor.email` → `actor.session.user.email`, …),
        /// `alternative[slotAlternative[slot]..<slotAlternative[slot + 1]]`.
        let slotAlternative: FrozenArray<Int32>
        let alternative: FrozenArray<Int32>
        let nodeCount: Int
        let entryCount: Int
    }

    /// Allocated once, so the slot table carries one pointer.
    let tables: UnsafeMutablePointer<Tables>

    /// The trie of `paths` (slot `s` is `paths[s]`); `alternatives[s]` are the slots of slot
    /// `s`'s derived alternatives, in order.
    init(_ paths: [FieldPath], alternatives: [[Int]]) {
        var nodeByPrefix: [[FieldPath.Segment]: Int] = [:]
        var nodeKeys: [[[UInt8]]] = []
        var keyEntry: [[[UInt8]: Int]] = []
        var slotStep: [Int32] = []
        var stepNode: [Int32] = []
        var stepCandidate: [Int32] = []
        var candidates: [(node: Int, key: [UInt8], next: Int32)] = []
        for path in paths {
            slotStep.append(Int32(stepNode.count))
            let table = path.table
            for segment in 0..<table.segmentCount {
                let prefix = Array(path.segments[0..<segment])
                let node: Int
                if let known = nodeByPrefix[prefix] {
                    node = known
                } else {
                    node = nodeKeys.count
                    nodeByPrefix[prefix] = node
                    nodeKeys.append([])
                    keyEntry.append([:])
                }
                stepNode.append(Int32(node))
                stepCandidate.append(Int32(candidates.count))
                for index in Int(table.ranges[segment])..<Int(table.ranges[segment + 1]) {
                    let entry = table.entries[index]
                    let key = Array(
                        UnsafeBufferPointer(start: table.keys + Int(entry.offset), count: Int(entry.length)))
                    if keyEntry[node][key] == nil {
                        keyEntry[node][key] = nodeKeys[node].count
                        nodeKeys[node].append(key)
                    }
                    candidates.append((node, key, entry.next))
                }
            }
        }
        slotStep.append(Int32(stepNode.count))
        stepCandidate.append(Int32(candidates.count))
        // Entries numbered node by node; each node's keys hashed into its own power-of-two table.
        var nodeEntry: [Int32] = []
        var nodeBucket: [Int32] = []
        var nodeMask: [Int32] = []
        var buckets: [Int32] = []
        var entryHash: [UInt64] = []
        var entryOffset: [Int32] = []
        var entryLength: [Int32] = []
        var arena: [UInt8] = []
        for keys in nodeKeys {
            nodeEntry.append(Int32(entryHash.count))
            var capacity = 4
            while capacity < keys.count * 2 { capacity *= 2 }
            var table = [Int32](repeating: -1, count: capacity)
            for key in keys {
                let hash = key.withUnsafeBufferPointer { PathTrie.hash($0.baseAddress!, $0.count) }
                var position = Int(truncatingIfNeeded: hash) & (capacity - 1)
                while table[position] >= 0 { position = (position + 1) & (capacity - 1) }
                table[position] = Int32(entryHash.count)
                entryHash.append(hash)
                entryOffset.append(Int32(arena.count))
                entryLength.append(Int32(key.count))
                arena += key
            }
            nodeBucket.append(Int32(buckets.count))
            nodeMask.append(Int32(capacity - 1))
            buckets += table
        }
        nodeEntry.append(Int32(entryHash.count))
        var firstEntry: [Int] = []
        for node in nodeKeys.indices { firstEntry.append(Int(nodeEntry[node])) }
        var slotAlternative: [Int32] = []
        var alternative: [Int32] = []
        for slot in paths.indices {
            slotAlternative.append(Int32(alternative.count))
            if slot < alternatives.count { alternative += alternatives[slot].map { Int32($0) } }
        }
        slotAlternative.append(Int32(alternative.count))
        tables = .allocate(capacity: 1)
        tables.initialize(
            to: Tables(
                slotStep: FrozenArray(slotStep), stepNode: FrozenArray(stepNode),
                stepCandidate: FrozenArray(stepCandidate),
                candidateEntry: FrozenArray(candidates.map { Int32(firstEntry[$0.node] + keyEntry[$0.node][$0.key]!) }),
                candidateNext: FrozenArray(candidates.map { $0.next }), nodeEntry: FrozenArray(nodeEntry),
                nodeBucket: FrozenArray(nodeBucket), nodeMask: FrozenArray(nodeMask), buckets: FrozenArray(buckets),
                entryHash: FrozenArray(entryHash), entryOffset: FrozenArray(entryOffset),
                entryLength: FrozenArray(entryLength), arena: FrozenArray(arena),
                slotAlternative: FrozenArray(slotAlternative), alternative: FrozenArray(alternative),
                nodeCount: nodeKeys.count, entryCount: entryHash.count))
    }

    deinit {
        let tables = self.tables.pointee
        tables.slotStep.deallocate()
        tables.stepNode.deallocate()
        tables.stepCandidate.deallocate()
        tables.candidateEntry.deallocate()
        tables.candidateNext.deallocate()
        tables.nodeEntry.deallocate()
        tables.nodeBucket.deallocate()
        tables.nodeMask.deallocate()
        tables.buckets.deallocate()
        tables.entryHash.deallocate()
        tables.entryOffset.deallocate()
        tables.entryLength.deallocate()
        tables.arena.deallocate()
        tables.slotAlternative.deallocate()
        tables.alternative.deallocate()
        self.tables.deinitialize(count: 1)
        self.tables.deallocate()
    }

    /// 64-bit FNV-1a.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0..<count { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
        return hash
    }
}
