/// Literal keys of the candidate index — a slot, a kind (exact, prefix, suffix) and bytes — to
/// the posting list of the rules that need them: open addressing over 64-bit FNV-1a hashes, one
/// probe sequence per lookup, no `String` or array built per event.
///
/// Prefix keys hash their bytes forwards and suffix keys backwards, so a lookup extends one
/// running hash over the folded text and probes at each length a key of the slot has.
// @unchecked: written only while the rule set is built, read-only after (shared by the matching threads).
final class ByteKeyTable: @unchecked Sendable {
    enum Kind: Int { case exact = 1, prefix = 2, suffix = 3 }

    struct Key: Hashable {
        var slot: Int
        var kind: Kind
        var bytes: [UInt8]
    }

    private struct Entry {
        var hash: UInt64
        var tag: Int32
        var offset: Int32
        var length: Int32
        var posting: Int32
    }

    private let slots: FrozenArray<Int32>
    private let entries: FrozenArray<Entry>
    private let arena: FrozenArray<UInt8>
    private let mask: Int

    /// `keys` with their posting numbers.
    init(_ keys: [(Key, Int32)]) {
        // At most a quarter full: most lookups miss (a text no rule names), and a miss ends at
        // the first empty slot; half full cost 1,000 generated rules about 300 instructions per
        // event more (docs/performance.md), for 8 bytes a key less.
        var capacity = 16
        while capacity < keys.count * 4 { capacity *= 2 }
        mask = capacity - 1
        var table = [Int32](repeating: -1, count: capacity)
        var entries: [Entry] = []
        var arena: [UInt8] = []
        for (key, posting) in keys {
            let hash = ByteKeyTable.hash(key)
            entries.append(
                Entry(
                    hash: hash, tag: ByteKeyTable.tag(key.slot, key.kind), offset: Int32(arena.count),
                    length: Int32(key.bytes.count), posting: posting))
            arena += key.bytes
            var position = Int(truncatingIfNeeded: hash) & mask
            while table[position] >= 0 { position = (position + 1) & mask }
            table[position] = Int32(entries.count - 1)
        }
        slots = FrozenArray(table)
        self.entries = FrozenArray(entries)
        self.arena = FrozenArray(arena)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        arena.deallocate()
    }

    @inline(__always) static func tag(_ slot: Int, _ kind: Kind) -> Int32 { Int32(slot * 4 + kind.rawValue) }

    @inline(__always) static func seed(_ slot: Int, _ kind: Kind) -> UInt64 {
        (0xcbf2_9ce4_8422_2325 ^ UInt64(tag(slot, kind))) &* 0x0000_0100_0000_01B3
    }

    @inline(__always) static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inline(__always) static func finish(_ hash: UInt64) -> UInt64 { hash ^ (hash >> 29) }

    static func hash(_ key: Key) -> UInt64 {
        var value = seed(key.slot, key.kind)
        if key.kind == .suffix {
            for byte in key.bytes.reversed() { value = step(value, byte) }
        } else {
            for byte in key.bytes { value = step(value, byte) }
        }
        return finish(value)
    }

    /// The posting of the key with this finished hash, tag and bytes, or -1.
    @inline(__always)
    func find(hash: UInt64, tag: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[position]
            if index < 0 { return -1 }
            let entry = entries[Int(index)]
            if entry.hash == hash, entry.tag == tag, Int(entry.length) == count,
                count == 0 || memoryEqual(arena.base + Int(entry.offset), bytes, count)
            {
                return entry.posting
            }
            position = (position + 1) & mask
        }
    }
}
