/// Finds which `contains` literals of the candidate index occur in a folded text: a multi-
/// pattern prefilter over 4-byte grams. Each literal of 4 bytes or more is filed under the one of
/// its grams that the fewest other literals of its slot share; the text's grams are looked up
/// position by position (a bit of a 64 Ki-bit filter of the filed grams' first two bytes, then a
/// bit of a 64 Ki-bit filter of whole hashed grams, then the table), and a literal is
/// reported only once its whole text is verified at that place. Shorter literals are searched
/// for directly (few rules need them).
// @unchecked: written only while the rule set is built, read-only after (shared by the matching threads).
final class ContainsFilter: @unchecked Sendable {
    struct Literal {
        var slot: Int
        var bytes: [UInt8]
        var posting: Int32
    }

    private struct Filed {
        var literal: Int32
        var offset: Int32
    }

    private struct Slot {
        var key: UInt64
        var first: Int32
        var count: Int32
    }

    /// Bit `b0 | b1 << 8`: some filed gram starts with bytes b0, b1. Read first, as it needs no
    /// hash: most positions stop at it (the whole-gram hash cost 12 instructions per byte).
    private let pairs: FrozenArray<UInt64>
    private let filter: FrozenArray<UInt64>
    private let table: FrozenArray<Slot>
    private let filed: FrozenArray<Filed>
    private let mask: Int
    private let literalOffsets: FrozenArray<Int32>
    private let literalLengths: FrozenArray<Int32>
    private let postings: FrozenArray<Int32>
    private let arena: FrozenArray<UInt8>
    /// Per index slot: the literals shorter than a gram.
    private let short: [[Int32]]

    init(_ literals: [Literal], slotCount: Int) {
        var frequency: [UInt64: Int] = [:]
        for literal in literals where literal.bytes.count >= 4 {
            var seen: Set<UInt64> = []
            for start in 0...(literal.bytes.count - 4) {
                seen.insert(ContainsFilter.key(literal.slot, ContainsFilter.gram(literal.bytes, start)))
            }
            for key in seen { frequency[key, default: 0] += 1 }
        }
        var byKey: [UInt64: [Filed]] = [:]
        var short = [[Int32]](repeating: [], count: slotCount)
        var offsets: [Int32] = []
        var lengths: [Int32] = []
        var postings: [Int32] = []
        var arena: [UInt8] = []
        for (number, literal) in literals.enumerated() {
            offsets.append(Int32(arena.count))
            lengths.append(Int32(literal.bytes.count))
            postings.append(literal.posting)
            arena += literal.bytes
            guard literal.bytes.count >= 4 else {
                short[literal.slot].append(Int32(number))
                continue
            }
            let best = (0...(literal.bytes.count - 4)).min { left, right in
                frequency[ContainsFilter.key(literal.slot, ContainsFilter.gram(literal.bytes, left))]!
                    < frequency[ContainsFilter.key(literal.slot, ContainsFilter.gram(literal.bytes, right))]!
            }!
            byKey[ContainsFilter.key(literal.slot, ContainsFilter.gram(literal.bytes, best)), default: []].append(
                Filed(literal: Int32(number), offset: Int32(best)))
        }
        var capacity = 16
        while capacity < byKey.count * 2 { capacity *= 2 }
        mask = capacity - 1
        var table = [Slot](repeating: Slot(key: 0, first: 0, count: 0), count: capacity)
        var filed: [Filed] = []
        var bits = [UInt64](repeating: 0, count: 1024)
        var pairBits = [UInt64](repeating: 0, count: 1024)
        for (key, entries) in byKey.sorted(by: { $0.key < $1.key }) {
            let pair = Int(key & 0xFFFF)
            pairBits[pair >> 6] |= 1 << UInt64(pair & 63)
            let mixed = ContainsFilter.mix(key)
            bits[Int(mixed & 0xFFFF) >> 6] |= 1 << (mixed & 63)
            var position = Int(truncatingIfNeeded: mixed >> 16) & mask
            while table[position].count > 0 { position = (position + 1) & mask }
            table[position] = Slot(key: key, first: Int32(filed.count), count: Int32(entries.count))
            filed += entries
        }
        filter = FrozenArray(bits)
        pairs = FrozenArray(pairBits)
        self.table = FrozenArray(table)
        self.filed = FrozenArray(filed)
        literalOffsets = FrozenArray(offsets)
        literalLengths = FrozenArray(lengths)
        self.postings = FrozenArray(postings)
        self.arena = FrozenArray(arena)
        self.short = short
    }

    deinit {
        filter.deallocate()
        pairs.deallocate()
        table.deallocate()
        filed.deallocate()
        literalOffsets.deallocate()
        literalLengths.deallocate()
        postings.deallocate()
        arena.deallocate()
    }

    private static func gram(_ bytes: [UInt8], _ start: Int) -> UInt32 {
        UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16
            | UInt32(bytes[start + 3]) << 24
    }

    @inline(__always) private static func key(_ slot: Int, _ gram: UInt32) -> UInt64 {
        UInt64(slot) << 32 | UInt64(gram)
    }

    @inline(__always) private static func mix(_ key: UInt64) -> UInt64 {
        var value = key &* 0x9E37_79B9_7F4A_7C15
        value ^= value >> 31
        return value &* 0xBF58_476D_1CE4_E5B9
    }

    /// Calls `found` with the posting of every literal of `slot` in `text` (a literal found at
    /// several places is reported at each).
    @inline(__always)
    func scan(slot: Int, _ text: UnsafeBufferPointer<UInt8>, _ found: (Int32) -> Void) {
        guard let base = text.baseAddress else { return }
        let count = text.count
        if count >= 4 {
            var start = 0
            while start + 4 <= count {
                let pair = Int(UnsafeRawPointer(base + start).loadUnaligned(as: UInt16.self).littleEndian)
                if pairs[pair >> 6] & (1 << UInt64(pair & 63)) == 0 {
                    start += 1
                    continue
                }
                let gram = UnsafeRawPointer(base + start).loadUnaligned(as: UInt32.self).littleEndian
                let key = ContainsFilter.key(slot, gram)
                let mixed = ContainsFilter.mix(key)
                if filter[Int(mixed & 0xFFFF) >> 6] & (1 << (mixed & 63)) != 0 {
                    probe(key, mixed, at: start, base, count, found)
                }
                start += 1
            }
        }
        for number in short[slot] where contains(Int(number), base, count) { found(postings[Int(number)]) }
    }

    private func probe(
        _ key: UInt64, _ mixed: UInt64, at start: Int, _ base: UnsafePointer<UInt8>, _ count: Int,
        _ found: (Int32) -> Void
    ) {
        var position = Int(truncatingIfNeeded: mixed >> 16) & mask
        while true {
            let slot = table[position]
            if slot.count == 0 { return }
            if slot.key == key {
                for index in Int(slot.first)..<Int(slot.first + slot.count) {
                    let entry = filed[index]
                    let literal = Int(entry.literal)
                    let begin = start - Int(entry.offset)
                    let length = Int(literalLengths[literal])
                    if begin >= 0, begin + length <= count,
                        memoryEqual(base + begin, arena.base + Int(literalOffsets[literal]), length)
                    {
                        found(postings[literal])
                    }
                }
                return
            }
            position = (position + 1) & mask
        }
    }

    private func contains(_ literal: Int, _ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let length = Int(literalLengths[literal])
        guard length <= count else { return false }
        let needle = arena.base + Int(literalOffsets[literal])
        for start in 0...(count - length) where memoryEqual(base + start, needle, length) { return true }
        return false
    }
}
