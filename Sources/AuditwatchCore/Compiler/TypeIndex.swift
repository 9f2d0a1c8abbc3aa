/// Finds, from an event type's raw bytes, the rules to try and whether the API documents the
/// type — without building a `String` or hashing twice per event.
///
/// An open-addressing table over FNV-1a hashes of the lowercase type names, in memory the
/// index owns (immutable after init, hence `@unchecked Sendable`). Types that are not plain
/// lowercase ASCII take the slow path through `String` and lowercasing.
final class TypeIndex: @unchecked Sendable {
    /// What the index knows about one type.
    struct Entry {
        /// Index into `candidateLists`, or -1 for "use the fallback list".
        var candidates: Int32
        var documented: Bool
        var keyOffset: Int32
        var keyLength: Int32
    }

    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int
    private let entries: UnsafeMutablePointer<Entry>
    private let entryCount: Int
    private let keys: UnsafeMutablePointer<UInt8>
    /// The candidate rule lists the entries point to.
    let candidateLists: [[Int]]
    /// By lowercase type name, for the slow path.
    private let byName: [String: Int]

    /// `byType`: lowercase type → rules to try; `documented`: the API's types.
    init(byType: [String: [Int]], documented: Set<String>) {
        let names = Set(byType.keys).union(documented).sorted()
        var lists: [[Int]] = []
        var byName: [String: Int] = [:]
        let byteCount = names.reduce(0) { $0 + $1.utf8.count }
        keys = .allocate(capacity: max(byteCount, 1))
        entries = .allocate(capacity: max(names.count, 1))
        var offset = 0
        for (index, name) in names.enumerated() {
            var candidates: Int32 = -1
            if let list = byType[name] {
                candidates = Int32(lists.count)
                lists.append(list)
            }
            let utf8 = Array(name.utf8)
            for (position, byte) in utf8.enumerated() { keys[offset + position] = byte }
            entries[index] = Entry(
                candidates: candidates, documented: documented.contains(name), keyOffset: Int32(offset),
                keyLength: Int32(utf8.count))
            offset += utf8.count
            byName[name] = index
        }
        entryCount = names.count
        var capacity = 16
        while capacity < names.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        for index in 0..<names.count {
            let entry = entries[index]
            var slot =
                TypeIndex.hash(UnsafeBufferPointer(start: keys + Int(entry.keyOffset), count: Int(entry.keyLength)))
                & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        candidateLists = lists
        self.byName = byName
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        keys.deallocate()
    }

    /// The entry for a type given as its raw JSON string bytes, or nil for a type no rule
    /// names and the API does not document.
    func entry(rawType: UnsafeBufferPointer<UInt8>, isEscaped: Bool) -> Entry? {
        guard !isEscaped, let hash = TypeIndex.plainLowercaseHash(rawType) else {
            let decoded = isEscaped ? JSONStringDecoder.decode(rawType) : Array(rawType)
            return byName[String(decoding: decoded, as: UTF8.self).lowercased()].map { entries[$0] }
        }
        var slot = hash & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let entry = entries[index]
            if Int(entry.keyLength) == rawType.count,
                rawType.count == 0 || memoryEqual(keys + Int(entry.keyOffset), rawType.baseAddress!, rawType.count)
            {
                return entry
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var value = offsetBasis
        for byte in bytes { value = step(value, byte) }
        return finish(value)
    }

    /// FNV-1a over the bytes, finished with a fold of the high bits into the low ones (the
    /// table's mask reads the low bits); `hash` and `plainLowercaseHash` must agree.
    @inline(__always) private static var offsetBasis: UInt64 { 0xcbf2_9ce4_8422_2325 }
    @inline(__always) private static func step(_ value: UInt64, _ byte: UInt8) -> UInt64 {
        (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    @inline(__always) private static func finish(_ value: UInt64) -> Int {
        Int(truncatingIfNeeded: value ^ (value >> 29))
    }

    /// `hash(bytes)` when the bytes are ASCII without capitals (already the lowercase key), else
    /// nil: the test and the hash in one pass over the type, which every event looks up.
    @inline(__always)
    private static func plainLowercaseHash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = offsetBasis
        // The high bit of `flags` gathers non-ASCII bytes and capitals, without a branch per byte.
        var flags: UInt8 = 0
        for byte in bytes {
            flags |= byte | (byte &- UInt8(ascii: "A") < 26 ? 0x80 : 0)
            value = step(value, byte)
        }
        return flags & 0x80 != 0 ? nil : finish(value)
    }
}
