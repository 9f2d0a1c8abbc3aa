import Testing

@testable import AuditwatchCore

@Suite("The compact group table keeps exactly what the saved groups say, and evicts as before")
struct GroupTableTests {
    private func entry(_ time: Int64, _ id: String, slot: Int = 0, value: String? = nil) -> GroupState.Entry {
        GroupState.Entry(time: time, eventID: id, slot: slot, value: value)
    }

    /// Groups of every shape: one match, several, none, a window start, values, firing, slots.
    private var sample: [String: GroupState] {
        [
            "a@x": GroupState(entries: [entry(10, "e1")]),
            "b@x": GroupState(entries: [entry(5, "e2", value: "v"), entry(7, "e3", slot: 2)], firing: true),
            "empty": GroupState(),
            "Ab\u{1F}c": GroupState(entries: [entry(9, "e4", slot: 1, value: "w")], values: ["Ab", "c"]),
            "w": GroupState(entries: [entry(3, "e5"), entry(4, "e6"), entry(8, "e7")], windowStart: 3),
            "long": GroupState(entries: [entry(2, String(repeating: "i", count: 300))]),
        ]
    }

    @Test("saved groups read back unchanged, and a group is found by a canonically equal key")
    func roundTrip() {
        let table = GroupTable(sample)
        #expect(table.count == sample.count)
        #expect(table.dictionary == sample)
        for (key, group) in sample {
            let number = table.find(key, hash: GroupTable.hash(key))
            #expect(number.map { table.group($0) } == group, "\(key)")
        }
        var accented = GroupTable()
        let number = accented.add("caf\u{E9}", hash: GroupTable.hash("caf\u{E9}"))
        #expect(accented.find("cafe\u{301}", hash: GroupTable.hash("cafe\u{301}")) == number, "as String compares")
        #expect(accented.find("cafe", hash: GroupTable.hash("cafe")) == nil)
    }

    @Test("updates change a group in place through every shape, and removed numbers are reused")
    func updates() {
        var table = GroupTable()
        var model: [String: GroupState] = [:]
        var generator = SplitMix(seed: 7)
        for step in 0..<4_000 {
            let key = "k\(generator.next() % 300)"
            let hash = GroupTable.hash(key)
            let number = table.find(key, hash: hash) ?? table.add(key, hash: hash)
            let choice = generator.next() % 10
            if choice == 0 {
                table.remove(number)
                model[key] = nil
                continue
            }
            table.update(number) { group in
                if choice < 6 {
                    let time = Int64(step / 3) + Int64(generator.next() % 5)
                    let position = group.entries.upperBound(of: time)
                    let value: String? = generator.next() % 3 == 0 ? "v\(step)" : nil
                    group.entries.insert(
                        entry(time, "event-\(step)-with-a-long-id", slot: Int(generator.next() % 3), value: value),
                        at: position)
                } else if choice < 8, !group.entries.isEmpty {
                    group.entries.removeFirst(Int(generator.next() % UInt64(group.entries.count)) + 1)
                } else {
                    group.firing.toggle()
                    group.windowStart = generator.next() % 2 == 0 ? Int64(step) : nil
                    group.values = generator.next() % 2 == 0 ? ["V\(step)"] : []
                }
            }
            model[key] = table.group(number)
        }
        #expect(table.dictionary == model)
        #expect(table.count == model.count)
        #expect(GroupTable(model).dictionary == model)
    }

    @Test("the least recently updated groups are those the sort by (last update, key) picks, ties by key")
    func eviction() {
        var generator = SplitMix(seed: 11)
        for round in 0..<20 {
            var table = GroupTable()
            var times: [String: Int64] = [:]
            for step in 0..<500 {
                let key = "g\(generator.next() % 200)"
                // Mostly in time order, sometimes behind (chained input, a restored state).
                let time = Int64(step / 7) - (generator.next() % 8 == 0 ? Int64(generator.next() % 30) : 0)
                let hash = GroupTable.hash(key)
                let number = table.find(key, hash: hash) ?? table.add(key, hash: hash)
                table.update(number) { group in
                    group.entries.insert(entry(time, "e\(step)"), at: group.entries.upperBound(of: time))
                }
                times[key] = table.lastUpdate(number)
            }
            let wanted = [1, 7, 50, times.count, times.count + 5][round % 5]
            let expected = DetectionEngine.oldest(wanted, of: times.map { ($0.key, $0.value) })
            let chosen = table.leastRecentlyUpdated(wanted).map { table.key($0) }
            #expect(Set(chosen) == Set(expected), "round \(round)")
            #expect(chosen.count == expected.count)
            // The same after a save and restore (the order is rebuilt from the saved groups).
            let restored = GroupTable(table.dictionary)
            #expect(Set(restored.leastRecentlyUpdated(wanted).map { restored.key($0) }) == Set(expected))
        }
    }
}

@Suite("Packed strings read back what was stored, through compaction")
struct PackedStringsTests {
    @Test("set, clear, replace and compact, with nil, empty, non-ASCII and long texts")
    func storage() {
        var strings = PackedStrings()
        var model: [Int: String] = [:]
        var generator = SplitMix(seed: 3)
        for step in 0..<20_000 {
            let number = Int(generator.next() % 500)
            switch generator.next() % 4 {
            case 0:
                strings.set(number, nil)
                model[number] = nil
            case 1:
                let text = step % 50 == 0 ? "" : "caf\u{E9}-\(step)-\u{1F600}"
                strings.set(number, text)
                model[number] = text
            default:
                let text = String(repeating: "x", count: Int(generator.next() % 40)) + "\(step)"
                strings.set(number, text)
                model[number] = text
            }
        }
        for number in 0..<600 {
            #expect(strings[number] == model[number])
            #expect(strings.contains(number) == (model[number] != nil))
            if let text = model[number] { #expect(strings.equals(number, text)) }
            #expect(!strings.equals(number, "not stored"))
        }
    }

    @Test("equality is String's: canonically equivalent texts are equal, different bytes otherwise are not")
    func equality() {
        var strings = PackedStrings()
        strings.set(0, "caf\u{E9}")
        strings.set(1, "a;b")
        strings.set(2, "plain")
        #expect(strings.equals(0, "cafe\u{301}"))
        #expect(strings.equals(1, "a\u{37E}b"))
        #expect(strings.equals(2, "plain") && !strings.equals(2, "plaiN") && !strings.equals(2, "plai"))
        #expect(!strings.equals(3, ""))
    }
}
