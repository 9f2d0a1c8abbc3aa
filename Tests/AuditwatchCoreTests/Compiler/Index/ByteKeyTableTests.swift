import Testing

@testable import AuditwatchCore

@Suite("The candidate index's key table finds each key it holds and no other")
struct ByteKeyTableTests {
    private typealias Key = ByteKeyTable.Key

    /// What the index asks: the posting of `key`, hashed as `probeText` hashes the text it reads.
    private func lookup(_ table: ByteKeyTable, _ key: Key) -> Int32 {
        key.bytes.withUnsafeBufferPointer { buffer in
            table.find(
                hash: ByteKeyTable.hash(key), tag: ByteKeyTable.tag(key.slot, key.kind),
                buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
        }
    }

    private func randomKey(_ generator: inout SplitMix, slots: Int, maxLength: Int) -> Key {
        let kinds: [ByteKeyTable.Kind] = [.exact, .prefix, .suffix]
        let length = Int(generator.next() % UInt64(maxLength + 1))
        // A small alphabet, so keys share prefixes and suffixes as rule literals do.
        let bytes = (0..<length).map { _ in Array("ab_1.@".utf8)[Int(generator.next() % 6)] }
        return Key(slot: Int(generator.next() % UInt64(slots)), kind: kinds[Int(generator.next() % 3)], bytes: bytes)
    }

    @Test("10,000 keys of three kinds over eight slots: each found with its own posting")
    func manyKeys() {
        var generator = SplitMix(seed: 17)
        var seen = Set<Key>()
        var keys: [(Key, Int32)] = []
        while keys.count < 10_000 {
            let key = randomKey(&generator, slots: 8, maxLength: 14)
            if seen.insert(key).inserted { keys.append((key, Int32(keys.count * 3 + 1))) }
        }
        let table = ByteKeyTable(keys)
        var wrong = 0
        for (key, posting) in keys where lookup(table, key) != posting { wrong += 1 }
        #expect(wrong == 0)
        // The same bytes under another slot or kind, and keys never added, are absent.
        var absent = 0
        var checked = 0
        while checked < 10_000 {
            let key = randomKey(&generator, slots: 10, maxLength: 16)
            guard !seen.contains(key) else { continue }
            checked += 1
            if lookup(table, key) == -1 { absent += 1 }
        }
        #expect(absent == checked)
    }

    @Test("the empty key, and a key against its own bytes one shorter or longer")
    func lengths() {
        let table = ByteKeyTable([
            (Key(slot: 2, kind: .exact, bytes: []), 5),
            (Key(slot: 2, kind: .exact, bytes: Array("svc".utf8)), 6),
            (Key(slot: 2, kind: .prefix, bytes: Array("svc".utf8)), 7),
        ])
        #expect(lookup(table, Key(slot: 2, kind: .exact, bytes: [])) == 5)
        #expect(lookup(table, Key(slot: 2, kind: .exact, bytes: Array("svc".utf8))) == 6)
        #expect(lookup(table, Key(slot: 2, kind: .prefix, bytes: Array("svc".utf8))) == 7)
        #expect(lookup(table, Key(slot: 2, kind: .exact, bytes: Array("sv".utf8))) == -1)
        #expect(lookup(table, Key(slot: 2, kind: .exact, bytes: Array("svcs".utf8))) == -1)
        #expect(lookup(table, Key(slot: 2, kind: .suffix, bytes: Array("svc".utf8))) == -1)
        #expect(lookup(table, Key(slot: 3, kind: .exact, bytes: [])) == -1)
        #expect(lookup(ByteKeyTable([]), Key(slot: 0, kind: .exact, bytes: [])) == -1)
    }

    @Test("keys that share a home slot at the table's end: the probe walks the run and wraps, hit or miss")
    func oneRunThatWraps() {
        // Eight keys get a table of 32 slots; the last is home to every key chosen here, so the
        // later ones sit past it, from slot 0 on. A probe that stopped at the first other key,
        // or at the table's end, would miss them.
        var generator = SplitMix(seed: 29)
        var sharing: [Key] = []
        var others: [Key] = []
        while sharing.count < 8 || others.count < 4 {
            let key = randomKey(&generator, slots: 4, maxLength: 10)
            guard ByteKeyTable.hash(key) & 31 == 31, !sharing.contains(key), !others.contains(key) else { continue }
            if sharing.count < 8 { sharing.append(key) } else { others.append(key) }
        }
        let table = ByteKeyTable(sharing.enumerated().map { ($0.element, Int32($0.offset)) })
        for (number, key) in sharing.enumerated() {
            #expect(lookup(table, key) == Int32(number), "key \(number)")
        }
        for key in others { #expect(lookup(table, key) == -1) }
    }
}
