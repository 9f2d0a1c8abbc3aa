/// The rule set indexed by necessary literals (`NecessaryLiterals`): per event it reads each
/// indexed path once (through the slot table), folds its values once, and looks them up —
/// hashing for equality and `in`-lists, running hashes for `startswith`/`endswith`, a gram
/// prefilter for `contains` and regex literals, prefix tries for `cidr` — to find the rules one
/// of whose literals is present. Those, and the rules with no literal to index (`always`), are
/// the candidates; each is then evaluated exactly as without the index.
// @unchecked: written only while the rule set is built, read-only after (shared by the matching threads).
final class CandidateIndex: @unchecked Sendable {
    /// Per indexed path: which probes it needs, while the index is built.
    private struct PendingSlot {
        var slot: Int
        var path: FieldPath
        var exact = false
        var prefixLengths: [Int] = []
        var suffixLengths: [Int] = []
        var contains = false
        var networks = NetworkTrie()
        var rules: Set<Int32> = []
    }

    /// Per indexed path: which probes it needs. A class, so that reading one out of `indexed`
    /// passes a reference: as a struct each event copied it about four times (its path, arrays,
    /// trie and set retained and released each time, 1.4 k instructions per event on the pack).
    /// The lengths are flat memory (`for` over an array retained it per scalar probed).
    // @unchecked: written only in init, read-only after.
    private final class IndexedSlot: @unchecked Sendable {
        let slot: Int
        let path: FieldPath
        let exact: Bool
        /// Sorted, each once.
        let prefixLengths: FrozenArray<Int>
        /// Sorted, each once.
        let suffixLengths: FrozenArray<Int>
        let contains: Bool
        let networks: NetworkTrie
        /// `!networks.isEmpty`, which reads the trie's arrays.
        let hasNetworks: Bool
        /// The rules with a literal on this slot.
        let rules: Set<Int32>

        /// The slot `pending` collected, its lengths sorted and deduplicated.
        init(_ pending: PendingSlot) {
            slot = pending.slot
            path = pending.path
            exact = pending.exact
            prefixLengths = FrozenArray(Array(Set(pending.prefixLengths)).sorted())
            suffixLengths = FrozenArray(Array(Set(pending.suffixLengths)).sorted())
            contains = pending.contains
            networks = pending.networks
            hasNetworks = !pending.networks.isEmpty
            rules = pending.rules
        }

        deinit {
            prefixLengths.deallocate()
            suffixLengths.deallocate()
        }
    }

    /// Rules whose condition offers no literal: examined for every event.
    let always: [Int]
    /// Rules that can never match (a selection with no values).
    let never: [Int]
    private let indexed: [IndexedSlot]
    /// `indexed` unretained, for the hot path (`indexed` keeps them alive).
    private let unretainedIndexed: ContiguousArray<Unmanaged<IndexedSlot>>
    private let keys: ByteKeyTable
    private let containsFilter: ContainsFilter
    /// Posting `p` lists the rules `postings[ranges[p]..<ranges[p + 1]]`.
    private let ranges: FrozenArray<Int32>
    private let postings: FrozenArray<Int32>

    /// `rules` with their paths' slots already assigned; `slotPaths[s]` is slot `s`'s path.
    init(_ rules: [CompiledRule], slotPaths: [FieldPath], slotOf: (FieldPath) -> Int) {
        var always: [Int] = []
        var never: [Int] = []
        var byAtom: [LiteralAtom: [Int32]] = [:]
        var atomOrder: [LiteralAtom] = []
        for (index, rule) in rules.enumerated() {
            switch NecessaryLiterals.of(rule, slot: slotOf) {
            case .always:
                always.append(index)
            case .anyOf(let atoms):
                if atoms.isEmpty { never.append(index) }
                for atom in atoms {
                    if byAtom[atom] == nil { atomOrder.append(atom) }
                    if byAtom[atom]?.last != Int32(index) { byAtom[atom, default: []].append(Int32(index)) }
                }
            }
        }
        self.always = always
        self.never = never
        var slots: [Int: PendingSlot] = [:]
        var keys: [(ByteKeyTable.Key, Int32)] = []
        var literals: [ContainsFilter.Literal] = []
        var ranges: [Int32] = [0]
        var postings: [Int32] = []
        for atom in atomOrder {
            let posting = Int32(ranges.count - 1)
            postings += byAtom[atom]!
            ranges.append(Int32(postings.count))
            var slot = slots[atom.slot] ?? PendingSlot(slot: atom.slot, path: slotPaths[atom.slot])
            slot.rules.formUnion(byAtom[atom]!)
            switch atom.shape {
            case .exact(let bytes):
                slot.exact = true
                keys.append((ByteKeyTable.Key(slot: atom.slot, kind: .exact, bytes: bytes), posting))
            case .prefix(let bytes):
                slot.prefixLengths.append(bytes.count)
                keys.append((ByteKeyTable.Key(slot: atom.slot, kind: .prefix, bytes: bytes), posting))
            case .suffix(let bytes):
                slot.suffixLengths.append(bytes.count)
                keys.append((ByteKeyTable.Key(slot: atom.slot, kind: .suffix, bytes: bytes), posting))
            case .contains(let bytes):
                slot.contains = true
                literals.append(ContainsFilter.Literal(slot: atom.slot, bytes: bytes, posting: posting))
            case .network(let network):
                slot.networks.insert(network, posting: posting)
            }
            slots[atom.slot] = slot
        }
        indexed = slots.values.sorted { $0.slot < $1.slot }.map(IndexedSlot.init)
        unretainedIndexed = ContiguousArray(indexed.map { Unmanaged.passUnretained($0) })
        self.keys = ByteKeyTable(keys)
        containsFilter = ContainsFilter(literals, slotCount: slotPaths.count)
        self.ranges = FrozenArray(ranges)
        self.postings = FrozenArray(postings)
    }

    deinit {
        ranges.deallocate()
        postings.deallocate()
    }

    /// For each candidate list (rule indices), the positions of the indexed slots that hold a
    /// literal of one of its rules: an event probes only those, since the other slots' hits
    /// would all be rules outside its type's list (the pack keys most rules on `type`).
    func slotsUsed(by lists: [[Int]]) -> [[Int]] {
        lists.map { list in
            let members = Set(list.map { Int32($0) })
            return indexed.indices.filter { !indexed[$0].rules.isDisjoint(with: members) }
        }
    }

    /// Calls `found` with every rule one of whose literals `event` carries among the rules with
    /// a literal on the indexed slots at `positions` (`slotsUsed(by:)`); a rule may come more
    /// than once, in no particular order.
    func collect(
        _ event: EventView, _ slots: PathSlots, positions: UnsafeBufferPointer<Int32>,
        scratch: UnsafeMutableBufferPointer<UInt8>,
        _ found: (Int32) -> Void
    ) {
        // Raw pointers, so that the closures below capture no reference (they retained `self`).
        let ranges = ranges.base
        let postings = postings.base
        func emit(_ posting: Int32) {
            var index = Int(ranges[Int(posting)])
            let end = Int(ranges[Int(posting) + 1])
            while index < end {
                found(postings[index])
                index += 1
            }
        }
        for position in positions {
            unretainedIndexed[Int(position)]._withUnsafeGuaranteedRef { slot in
                let node = slots.node(slot.slot, slot.path, event)
                if node == EventView.missing { return }
                if node != EventView.branches {
                    probe(slot, event, node, scratch, emit)
                } else {
                    event.forEachValue(slot.path) { value in
                        probe(slot, event, value, scratch, emit)
                        return false
                    }
                }
            }
        }
    }

    /// Probes every scalar `node` holds, as a matcher reads them (`anyScalar`). A loop, not
    /// `anyScalar`'s closure: the nested closures retained the slot and the index per scalar.
    private func probe(
        _ slot: IndexedSlot, _ event: EventView, _ node: Int, _ scratch: UnsafeMutableBufferPointer<UInt8>,
        _ emit: (Int32) -> Void
    ) {
        guard event.kind(node) == .array else { return probeScalar(slot, event, node, scratch, emit) }
        var cursor = node + 1
        let end = event.end(node)
        while cursor < end {
            let kind = event.kind(cursor)
            if kind != .array && kind != .object { probeScalar(slot, event, cursor, scratch, emit) }
            cursor = event.end(cursor)
        }
    }

    /// Probes one scalar: its folded text, and its address when it reads as one.
    @inline(__always)
    private func probeScalar(
        _ slot: IndexedSlot, _ event: EventView, _ scalar: Int, _ scratch: UnsafeMutableBufferPointer<UInt8>,
        _ emit: (Int32) -> Void
    ) {
        let kind = event.kind(scalar)
        guard kind != .null else { return }
        if kind == .string && event.nodes[scalar].isEscaped {
            // Rare: decode first, through the closures.
            event.withText(scalar) { raw in probeRaw(slot, kind, raw, scratch, emit) }
        } else {
            probeRaw(slot, kind, event.rawBytes(scalar), scratch, emit)
        }
    }

    @inline(__always)
    private func probeRaw(
        _ slot: IndexedSlot, _ kind: JSONKind, _ raw: UnsafeBufferPointer<UInt8>,
        _ scratch: UnsafeMutableBufferPointer<UInt8>, _ emit: (Int32) -> Void
    ) {
        if let folded = FoldedText.foldedASCII(raw, into: scratch) {
            probeText(slot, folded, emit)
        } else {
            FoldedText.with(raw, scratch: scratch) { text in probeText(slot, text, emit) }
        }
        if slot.hasNetworks, kind == .string, let address = IPAddress.parse(raw) {
            slot.networks.visit(address, emit)
        }
    }

    private func probeText(_ slot: IndexedSlot, _ text: UnsafeBufferPointer<UInt8>, _ emit: (Int32) -> Void) {
        let count = text.count
        let base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        if slot.exact {
            var hash = ByteKeyTable.seed(slot.slot, .exact)
            for byte in text { hash = ByteKeyTable.step(hash, byte) }
            let posting = keys.find(
                hash: ByteKeyTable.finish(hash), tag: ByteKeyTable.tag(slot.slot, .exact), base, count)
            if posting >= 0 { emit(posting) }
        }
        if slot.prefixLengths.count > 0 {
            var hash = ByteKeyTable.seed(slot.slot, .prefix)
            var done = 0
            let tag = ByteKeyTable.tag(slot.slot, .prefix)
            for lengthIndex in 0..<slot.prefixLengths.count {
                let length = slot.prefixLengths[lengthIndex]
                guard length <= count else { break }
                while done < length {
                    hash = ByteKeyTable.step(hash, base[done])
                    done += 1
                }
                let posting = keys.find(hash: ByteKeyTable.finish(hash), tag: tag, base, length)
                if posting >= 0 { emit(posting) }
            }
        }
        if slot.suffixLengths.count > 0 {
            var hash = ByteKeyTable.seed(slot.slot, .suffix)
            var done = 0
            let tag = ByteKeyTable.tag(slot.slot, .suffix)
            for lengthIndex in 0..<slot.suffixLengths.count {
                let length = slot.suffixLengths[lengthIndex]
                guard length <= count else { break }
                while done < length {
                    hash = ByteKeyTable.step(hash, base[count - 1 - done])
                    done += 1
                }
                let posting = keys.find(hash: ByteKeyTable.finish(hash), tag: tag, base + (count - length), length)
                if posting >= 0 { emit(posting) }
            }
        }
        if slot.contains { containsFilter.scan(slot: slot.slot, text, emit) }
    }
}
