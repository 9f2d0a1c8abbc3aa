/// One event's slot table: for each path the rule set reads (its slot number), the node that
/// path reaches, resolved at most once per event however many matchers and index probes read it.
///
/// Borrowed scratch memory, valid inside `RuleSet.match`; a slot holds `EventView.missing`,
/// `EventView.branches` (the path meets an array: matchers then visit every value), a node, or
/// `unresolved` until first read. Paths are resolved through the rule set's `PathTrie`: per trie
/// node, the object scanned there (`scanned`) and, per key of the node, the member found (`hits`).
struct PathSlots {
    static let unresolved = Int.min
    /// A trie node whose object had an escaped key: its paths fall back to `longestKey`.
    static let escaped = -2
    let nodes: UnsafeMutablePointer<Int>
    let scanned: UnsafeMutablePointer<Int>
    let hits: UnsafeMutablePointer<Int>
    let trie: UnsafePointer<PathTrie.Tables>

    /// The node `path` (the path of slot `slot`) reaches in `event`, as `EventView.resolve` answers.
    @inline(__always)
    func node(_ slot: Int, _ path: FieldPath, _ event: EventView) -> Int {
        let known = nodes[slot]
        if known != PathSlots.unresolved { return known }
        let resolved = resolve(slot, path, event)
        nodes[slot] = resolved
        return resolved
    }

    /// `EventView.resolve(path)`, its literal part read through the trie.
    private func resolve(_ slot: Int, _ path: FieldPath, _ event: EventView) -> Int {
        if path.isType { return event.typeNode }
        let literal = resolveLiteral(slot, path, event)
        if literal != EventView.missing || path.derived == nil { return literal }
        if case .alternatives(let paths) = path.derived {
            // The alternatives have slots of their own: read (and kept) through the trie too.
            let first = Int(trie.pointee.slotAlternative[slot])
            if Int(trie.pointee.slotAlternative[slot + 1]) - first == paths.count {
                for (index, alternative) in paths.enumerated() {
                    let found = node(Int(trie.pointee.alternative[first + index]), alternative, event)
                    if found != EventView.missing { return found }
                }
                return EventView.missing
            }
        }
        return event.resolveDerived(path)
    }

    private func resolveLiteral(_ slot: Int, _ path: FieldPath, _ event: EventView) -> Int {
        var node = event.root
        var segment = 0
        let firstStep = Int(trie.pointee.slotStep[slot])
        let segmentCount = Int(trie.pointee.slotStep[slot + 1]) - firstStep
        while segment < segmentCount {
            switch event.kind(node) {
            case .object:
                let step = firstStep + segment
                let trieNode = Int(trie.pointee.stepNode[step])
                var state = scanned[trieNode]
                if state == PathSlots.unresolved {
                    scan(trieNode, node, event)
                    state = scanned[trieNode]
                }
                if state != node {
                    // An escaped key, or another object met at this trie node: the plain scan.
                    guard let (value, next) = event.longestKey(in: node, path.table, segment) else {
                        return EventView.missing
                    }
                    node = value
                    segment = next
                    continue
                }
                var candidate = Int(trie.pointee.stepCandidate[step])
                let last = Int(trie.pointee.stepCandidate[step + 1])
                var found = false
                while candidate < last {
                    let hit = hits[Int(trie.pointee.candidateEntry[candidate])]
                    if hit >= 0 {
                        node = hit
                        segment = Int(trie.pointee.candidateNext[candidate])
                        found = true
                        break
                    }
                    candidate += 1
                }
                if !found { return EventView.missing }
            case .array:
                return EventView.branches
            default:
                return EventView.missing
            }
        }
        return node
    }

    /// Records, for each key of `trieNode`, the first member of `object` with that key.
    private func scan(_ trieNode: Int, _ object: Int, _ event: EventView) {
        let firstEntry = Int(trie.pointee.nodeEntry[trieNode])
        let lastEntry = Int(trie.pointee.nodeEntry[trieNode + 1])
        for entry in firstEntry..<lastEntry { hits[entry] = -1 }
        let bucketBase = Int(trie.pointee.nodeBucket[trieNode])
        let mask = Int(trie.pointee.nodeMask[trieNode])
        let end = event.end(object)
        var cursor = object + 1
        while cursor < end {
            let key = event.nodes[cursor]
            if key.isEscaped {
                scanned[trieNode] = PathSlots.escaped
                return
            }
            let start = event.bytes + Int(key.start)
            let length = Int(key.length)
            let hash = PathTrie.hash(start, length)
            var position = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = Int(trie.pointee.buckets[bucketBase + position])
                if entry < 0 { break }
                if trie.pointee.entryHash[entry] == hash && Int(trie.pointee.entryLength[entry]) == length
                    && (length == 0
                        || memoryEqual(start, trie.pointee.arena.base + Int(trie.pointee.entryOffset[entry]), length))
                {
                    if hits[entry] < 0 { hits[entry] = cursor + 1 }
                    break
                }
                position = (position + 1) & mask
            }
            cursor = event.end(cursor + 1)
        }
        scanned[trieNode] = object
    }

    /// Calls `body` with a table of `count` unresolved slots over `trie` (on the stack when small).
    static func with<Result>(count: Int, trie: PathTrie, _ body: (PathSlots) -> Result) -> Result {
        let tables = UnsafePointer(trie.tables)
        let nodeCount = tables.pointee.nodeCount
        let size = count + nodeCount + tables.pointee.entryCount
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(size, 1)) { buffer in
            let base = buffer.baseAddress!
            base.initialize(repeating: PathSlots.unresolved, count: count + nodeCount)
            return body(PathSlots(nodes: base, scanned: base + count, hits: base + count + nodeCount, trie: tables))
        }
    }
}
