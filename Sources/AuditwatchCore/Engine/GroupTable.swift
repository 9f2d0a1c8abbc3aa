/// The live groups of one correlation, compact: a group is a 32-bit number into columns (its key
/// and its one match's event id and value as packed bytes, times, a few flags), found through an
/// open-addressing table of numbers, and kept on a list ordered by last update, so the group cap
/// evicts the least recently updated groups without sorting the table.
///
/// A group with one match (most groups, under a spray of new identities) lives in the columns
/// alone; a group with more keeps its matches as a `[GroupState.Entry]`. About 100 bytes per
/// single-match group, against about 230 in a `[String: GroupState]`. `GroupState` remains the
/// saved form and the form the correlation logic works on (`update` lends a group as one).
struct GroupTable: Sendable {
    /// Live groups.
    private(set) var count = 0

    private var keys = PackedStrings()
    /// The key's hash (`String`'s, truncated): probes compare it first, and growth rehashes by it.
    private var hashes: [UInt32] = []
    /// What a group's matches are: `GroupTable.single` (in `times`, `eventIDs`, `values`, `slots`),
    /// `GroupTable.empty`, `GroupTable.free` (the number is unused), else an index in `lists`.
    private var shapes: [Int32] = []
    private var times: [Int64] = []
    private var eventIDs = PackedStrings()
    private var values = PackedStrings()
    /// The single match's slot; numbers past the end read 0 (one-rule correlations never grow it).
    private var slots: [Int32] = []
    /// Firing, and whether a window start or group values are stored.
    private var flags: [UInt8] = []
    /// Read only where `flags` say a window start is stored (window-end correlations).
    private var windowStarts: [Int64] = []
    /// The group-by values where they are not just the key (several fields, another case).
    private var groupValues: [Int32: [String?]] = [:]
    private var lists: [[GroupState.Entry]] = []
    private var freeLists: [Int32] = []
    private var freeNumbers: [Int32] = []
    /// The update order: from `oldest` along `newer` to `newest`, by last update (ties in any
    /// order; eviction breaks them by key). -1 ends a list, and marks a group not on it.
    private var older: [Int32] = []
    private var newer: [Int32] = []
    private var oldest: Int32 = -1
    private var newest: Int32 = -1
    /// Open addressing, linear probing: a group number, `GroupTable.vacant` or `GroupTable.deleted`.
    private var table: [Int32] = []
    /// Table slots not vacant (groups and deleted marks).
    private var occupied = 0

    private static let single: Int32 = -1
    private static let empty: Int32 = -2
    private static let free: Int32 = -3
    private static let vacant: Int32 = -1
    private static let deleted: Int32 = -2
    private static let firing: UInt8 = 1
    private static let hasWindowStart: UInt8 = 2
    private static let hasValues: UInt8 = 4

    init() {}

    /// The table's hash of a key: `String`'s, so keys that `String` calls equal meet.
    static func hash(_ key: String) -> UInt32 { UInt32(truncatingIfNeeded: key.hashValue) }

    // MARK: Finding, adding and removing groups

    /// The group keyed `key` (`hash` is `GroupTable.hash(key)`).
    func find(_ key: String, hash: UInt32) -> Int32? {
        guard !table.isEmpty else { return nil }
        let mask = table.count - 1
        var slot = Int(hash) & mask
        while true {
            let number = table[slot]
            if number == GroupTable.vacant { return nil }
            if number >= 0, hashes[Int(number)] == hash, keys.equals(Int(number), key) { return number }
            slot = (slot + 1) & mask
        }
    }

    /// Adds an empty group keyed `key` (not yet on the update order: `update` places it).
    mutating func add(_ key: String, hash: UInt32, values stored: [String?] = []) -> Int32 {
        if (occupied + 1) * 4 > table.count * 3 { rebuildTable(atLeast: count + 1) }
        let number: Int32
        if let reused = freeNumbers.popLast() {
            number = reused
            hashes[Int(number)] = hash
            shapes[Int(number)] = GroupTable.empty
            flags[Int(number)] = 0
        } else {
            number = Int32(shapes.count)
            hashes.append(hash)
            shapes.append(GroupTable.empty)
            times.append(0)
            flags.append(0)
            older.append(-1)
            newer.append(-1)
        }
        keys.set(Int(number), key)
        if !stored.isEmpty {
            groupValues[number] = stored
            flags[Int(number)] |= GroupTable.hasValues
        }
        place(number)
        count += 1
        return number
    }

    /// Removes group `number`.
    mutating func remove(_ number: Int32) {
        let index = Int(number)
        let mask = table.count - 1
        var slot = Int(hashes[index]) & mask
        while table[slot] != number { slot = (slot + 1) & mask }
        table[slot] = GroupTable.deleted
        unlink(number)
        setMatches(number, [])
        if flags[index] & GroupTable.hasValues != 0 { groupValues[number] = nil }
        flags[index] = 0
        keys.set(index, nil)
        shapes[index] = GroupTable.free
        freeNumbers.append(number)
        count -= 1
    }

    private mutating func place(_ number: Int32) {
        let mask = table.count - 1
        var slot = Int(hashes[Int(number)]) & mask
        while table[slot] >= 0 { slot = (slot + 1) & mask }
        if table[slot] == GroupTable.vacant { occupied += 1 }
        table[slot] = number
    }

    /// A table of at least twice `groups` slots (a power of two), without deleted marks.
    private mutating func rebuildTable(atLeast groups: Int) {
        var capacity = 16
        while capacity < groups * 2 { capacity *= 2 }
        table = Array(repeating: GroupTable.vacant, count: capacity)
        occupied = 0
        for number in shapes.indices where shapes[number] != GroupTable.free { place(Int32(number)) }
    }

    // MARK: Reading and changing a group

    /// The key of group `number`.
    func key(_ number: Int32) -> String { keys[Int(number)] ?? "" }

    /// The numbers of the live groups (in no particular order).
    var numbers: [Int32] {
        var live: [Int32] = []
        live.reserveCapacity(count)
        for number in shapes.indices where shapes[number] != GroupTable.free { live.append(Int32(number)) }
        return live
    }

    /// The time of the newest match, 0 for a group left empty (as `GroupState.lastUpdate`).
    func lastUpdate(_ number: Int32) -> Int64 {
        let shape = shapes[Int(number)]
        if shape == GroupTable.single { return times[Int(number)] }
        if shape >= 0 { return lists[Int(shape)].last?.time ?? 0 }
        return 0
    }

    /// Where the open window of group `number` starts (window-end correlations).
    func windowStart(_ number: Int32) -> Int64? {
        flags[Int(number)] & GroupTable.hasWindowStart != 0 ? windowStarts[Int(number)] : nil
    }

    /// How many matches group `number` holds.
    func matchCount(_ number: Int32) -> Int {
        let shape = shapes[Int(number)]
        if shape == GroupTable.single { return 1 }
        return shape >= 0 ? lists[Int(shape)].count : 0
    }

    /// The time of group `number`'s only match, nil when it holds another number of them.
    func singleTime(_ number: Int32) -> Int64? {
        shapes[Int(number)] == GroupTable.single ? times[Int(number)] : nil
    }

    /// Group `number` as a value.
    func group(_ number: Int32) -> GroupState {
        let index = Int(number)
        return GroupState(
            entries: matches(number),
            values: flags[index] & GroupTable.hasValues != 0 ? groupValues[number] ?? [] : [],
            windowStart: windowStart(number), firing: flags[index] & GroupTable.firing != 0)
    }

    /// Lends group `number` to `body` as a `GroupState` and stores what it leaves. A group's
    /// match list is moved out and back (not copied), so it is changed in place.
    mutating func update<R>(_ number: Int32, _ body: (inout GroupState) -> R) -> R {
        let index = Int(number)
        let before = lastUpdate(number)
        var entries: [GroupState.Entry] = []
        let shape = shapes[index]
        if shape >= 0 {
            swap(&entries, &lists[Int(shape)])
        } else if shape == GroupTable.single {
            // Room for the match usually on its way in: the insert then does not reallocate.
            entries.reserveCapacity(2)
            entries.append(singleEntry(index))
        }
        let hadValues = flags[index] & GroupTable.hasValues != 0
        var group = GroupState(
            entries: [], values: hadValues ? groupValues.removeValue(forKey: number) ?? [] : [],
            windowStart: windowStart(number), firing: flags[index] & GroupTable.firing != 0)
        swap(&group.entries, &entries)
        let result = body(&group)
        store(group, at: number)
        if !isLinked(number) || lastUpdate(number) != before { reorder(number) }
        return result
    }

    private func singleEntry(_ index: Int) -> GroupState.Entry {
        GroupState.Entry(
            time: times[index], eventID: eventIDs[index] ?? "", slot: index < slots.count ? Int(slots[index]) : 0,
            value: values[index])
    }

    private func matches(_ number: Int32) -> [GroupState.Entry] {
        let shape = shapes[Int(number)]
        if shape == GroupTable.single { return [singleEntry(Int(number))] }
        return shape >= 0 ? lists[Int(shape)] : []
    }

    /// Stores `entries` as group `number`'s matches: one in the columns, more in a list.
    private mutating func setMatches(_ number: Int32, _ entries: [GroupState.Entry]) {
        let index = Int(number)
        let shape = shapes[index]
        if entries.count >= 2 {
            if shape >= 0 {
                lists[Int(shape)] = entries
                return
            }
            if shape == GroupTable.single { clearSingle(index) }
            if let reused = freeLists.popLast() {
                lists[Int(reused)] = entries
                shapes[index] = reused
            } else {
                shapes[index] = Int32(lists.count)
                lists.append(entries)
            }
            return
        }
        if shape >= 0 {
            lists[Int(shape)] = []
            freeLists.append(shape)
        }
        guard let entry = entries.first else {
            if shape == GroupTable.single { clearSingle(index) }
            shapes[index] = GroupTable.empty
            return
        }
        shapes[index] = GroupTable.single
        times[index] = entry.time
        eventIDs.set(index, entry.eventID)
        values.set(index, entry.value)
        if entry.slot != 0 || index < slots.count {
            if slots.count <= index { slots.append(contentsOf: repeatElement(0, count: index + 1 - slots.count)) }
            slots[index] = Int32(truncatingIfNeeded: entry.slot)
        }
    }

    private mutating func clearSingle(_ index: Int) {
        eventIDs.set(index, nil)
        values.set(index, nil)
        if index < slots.count { slots[index] = 0 }
    }

    // MARK: The update order

    /// Whether group `number` is on the update order (a group just added is not yet).
    private func isLinked(_ number: Int32) -> Bool {
        older[Int(number)] != -1 || newer[Int(number)] != -1 || oldest == number
    }

    private mutating func unlink(_ number: Int32) {
        let index = Int(number)
        let before = older[index], after = newer[index]
        guard isLinked(number) else { return }
        if before == -1 { oldest = after } else { newer[Int(before)] = after }
        if after == -1 { newest = before } else { older[Int(after)] = before }
        older[index] = -1
        newer[index] = -1
    }

    /// Moves group `number` to its place by last update: normally the newest end (matches
    /// arrive in time order), else found walking back from there.
    private mutating func reorder(_ number: Int32) {
        unlink(number)
        let time = lastUpdate(number)
        var after = newest
        while after != -1 && lastUpdate(after) > time { after = older[Int(after)] }
        let index = Int(number)
        if after == -1 {
            newer[index] = oldest
            if oldest != -1 { older[Int(oldest)] = number }
            oldest = number
            if newest == -1 { newest = number }
        } else {
            let next = newer[Int(after)]
            older[index] = after
            newer[index] = next
            newer[Int(after)] = number
            if next == -1 { newest = number } else { older[Int(next)] = number }
        }
    }

    /// The `wanted` least recently updated groups, ties broken by key (as `String` orders), so a
    /// replay evicts the same groups: walks the update order from its oldest end.
    func leastRecentlyUpdated(_ wanted: Int) -> [Int32] {
        guard wanted > 0 else { return [] }
        var chosen: [Int32] = []
        var number = oldest
        while number != -1 && chosen.count < wanted {
            chosen.append(number)
            number = newer[Int(number)]
        }
        guard chosen.count == wanted, let last = chosen.last else { return chosen }
        let threshold = lastUpdate(last)
        // The groups updated at the threshold time are taken by key, as many as there is room for.
        var below = chosen.filter { lastUpdate($0) < threshold }
        var ties = chosen.filter { lastUpdate($0) == threshold }
        while number != -1 && lastUpdate(number) == threshold {
            ties.append(number)
            number = newer[Int(number)]
        }
        let room = wanted - below.count
        below += ties.map { (key($0), $0) }.sorted { $0.0 < $1.0 }.prefix(room).map(\.1)
        return below
    }

    // MARK: The saved form

    /// The groups as saved, by key.
    var dictionary: [String: GroupState] {
        var groups: [String: GroupState] = [:]
        groups.reserveCapacity(count)
        for number in numbers { groups[key(number)] = group(number) }
        return groups
    }

    /// Writes `group`'s flags, window start, values and matches into the columns of group `number`
    /// (a feed's result and a restored group go the same way).
    private mutating func store(_ group: GroupState, at number: Int32) {
        let index = Int(number)
        var flag: UInt8 = group.firing ? GroupTable.firing : 0
        if let start = group.windowStart {
            if windowStarts.count <= index {
                windowStarts.append(contentsOf: repeatElement(0, count: index + 1 - windowStarts.count))
            }
            windowStarts[index] = start
            flag |= GroupTable.hasWindowStart
        }
        if !group.values.isEmpty {
            groupValues[number] = group.values
            flag |= GroupTable.hasValues
        }
        flags[index] = flag
        setMatches(number, group.entries)
    }

    /// The table of saved `groups`.
    init(_ groups: [String: GroupState]) {
        self.init()
        var added: [(Int64, Int32)] = []
        added.reserveCapacity(groups.count)
        for (key, group) in groups {
            let number = add(key, hash: GroupTable.hash(key))
            store(group, at: number)
            added.append((group.lastUpdate, number))
        }
        added.sort { $0 < $1 }
        for (_, number) in added {
            let index = Int(number)
            older[index] = newest
            if newest == -1 { oldest = number } else { newer[Int(newest)] = number }
            newest = number
        }
    }
}
