/// The half of a `RuleSet` that matching an event reads, behind one reference.
///
/// As fields of the rule set, these were copied into the context of `match`'s closures (those
/// that lend it the slot table and scratch memory) once an event, each of the struct's dozen
/// references retained and released: 0.7 k instructions per event on the shipped pack.
final class CandidateMatcher: Sendable {
    /// The rules with their paths' slots assigned (the rule set's `rules`).
    private let rules: [CompiledRule]
    /// The same rules unretained, for the hot path: `rules` keeps them alive, and a candidate
    /// evaluated through a guaranteed reference costs no retain and release (40 pairs an event
    /// on 1,000 generated rules).
    private let unretained: ContiguousArray<Unmanaged<CompiledRule>>
    /// The rules to try, in load order, for an event of a type no rule names.
    private let fallback: [Int]
    /// For each type a rule names, the rules to try (with `fallback`), and the documented
    /// types, looked up from an event's raw type bytes.
    private let typeIndex: TypeIndex
    /// How many paths the rules read (the slot table's size).
    private let slotCount: Int
    /// The leading segments those paths share, resolved once an event (`PathSlots`); kept for
    /// the lifetime of `prefixTable`, which `match` reads (plain pointers: no retain an event).
    private let prefixes: PathPrefixes
    private let prefixTable: PathPrefixes.Table
    private let prefixCount: Int
    /// The rules by necessary literal, so an event examines only its candidates.
    let candidateIndex: CandidateIndex
    /// Per candidate list (`typeIndex.candidateLists`, then `fallback` last): its rules that
    /// are always candidates, in load order, and a bitset of all its rules.
    private let alwaysLists: FrozenLists
    private let members: FrozenBits
    /// Per candidate list (as `alwaysLists`): the index's slots its rules have literals on.
    private let probedSlots: FrozenLists

    /// Indexes `rules` (slots assigned, reading `slotPaths` by slot) by type for the `enabled` ones.
    init(_ rules: [CompiledRule], enabled: [Int], slotPaths: [FieldPath], candidateIndex: CandidateIndex) {
        self.rules = rules
        unretained = ContiguousArray(rules.map { Unmanaged.passUnretained($0) })
        self.slotCount = slotPaths.count
        prefixes = PathPrefixes(slotPaths)
        prefixTable = prefixes.table
        prefixCount = prefixes.count
        self.candidateIndex = candidateIndex
        let fallback = enabled.filter { rules[$0].eventTypes == nil }
        var byType: [String: [Int]] = [:]
        for index in enabled {
            for type in rules[index].eventTypes ?? [] { byType[type, default: []].append(index) }
        }
        for (type, indices) in byType {
            byType[type] = (indices + fallback).sorted()
        }
        let typeIndex = TypeIndex(byType: byType, documented: EventSchema.types)
        self.fallback = fallback
        self.typeIndex = typeIndex
        let lists = typeIndex.candidateLists + [fallback]
        let always = Set(candidateIndex.always)
        alwaysLists = FrozenLists(lists.map { list in list.filter(always.contains) })
        members = FrozenBits(lists, count: rules.count)
        probedSlots = FrozenLists(candidateIndex.slotsUsed(by: lists))
    }

    /// The rules `event` matches, in load order, and whether the API documents its type
    /// (`RuleSet.match(_:)`).
    func match(_ event: EventView) -> (rules: [Int], documented: Bool) {
        let entry = typeIndex.entry(
            rawType: event.rawBytes(event.typeNode), isEscaped: event.nodes[event.typeNode].isEscaped)
        let list =
            entry.map { $0.candidates >= 0 ? Int($0.candidates) : alwaysLists.count - 1 } ?? alwaysLists.count - 1
        let result = PathSlots.with(count: slotCount, prefixCount: prefixCount, prefixes: prefixTable) { slots in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { scratch in
                // Swift on Linux puts a temporary buffer on the stack only up to 1,024 bytes; a
                // larger one is a malloc and a free per event (620 instructions with 512 rule
                // numbers). So the literal hits go to 256 on the stack, and only an event with
                // more is collected again into a larger buffer.
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.stackTriggeredCapacity) { triggered in
                    matchCandidates(event, list: list, slots: slots, scratch: scratch, triggered: triggered)
                } ?? withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.triggeredCapacity) { triggered in
                    matchCandidates(event, list: list, slots: slots, scratch: scratch, triggered: triggered)
                } ?? matchList(list, event, slots)
            }
        }
        return (result, entry?.documented ?? false)
    }

    /// Literal hits collected on the stack (4 bytes each, 1,024 in all).
    static let stackTriggeredCapacity = 256
    /// Literal hits, at most, before an event is simply run against its whole list.
    static let triggeredCapacity = 4_096

    /// Every rule of candidate list `list` run on `event`, as without the index.
    private func matchList(_ list: Int, _ event: EventView, _ slots: PathSlots) -> [Int] {
        let all = list < typeIndex.candidateLists.count ? typeIndex.candidateLists[list] : fallback
        var result: [Int] = []
        for index in all where matches(index, event, slots) { result.append(index) }
        return result
    }

    /// The rules of list `list` that `event` matches, or nil when its literal hits outnumber
    /// `triggered` (the caller then tries a larger buffer, or the whole list).
    private func matchCandidates(
        _ event: EventView, list: Int, slots: PathSlots, scratch: UnsafeMutableBufferPointer<UInt8>,
        triggered: UnsafeMutableBufferPointer<Int32>
    ) -> [Int]? {
        var count = 0
        var overflow = false
        candidateIndex.collect(event, slots, positions: probedSlots[list], scratch: scratch) { rule in
            guard members.contains(list, Int(rule)) else { return }
            if count < triggered.count {
                triggered[count] = rule
                count += 1
            } else {
                overflow = true
            }
        }
        if overflow { return nil }
        var result: [Int] = []
        var found = UnsafeMutableBufferPointer(rebasing: triggered[0..<count])
        if count > 1 { found.sort() }
        // The always-candidates and the literal hits, merged in load order, each once.
        let always = alwaysLists[list]
        var next = 0
        var position = 0
        var last = -1
        while next < always.count || position < count {
            let index: Int
            if position < count && (next == always.count || found[position] < always[next]) {
                index = Int(found[position])
                position += 1
            } else {
                index = Int(always[next])
                next += 1
            }
            if index == last { continue }
            last = index
            if matches(index, event, slots) { result.append(index) }
        }
        return result
    }

    @inline(__always)
    private func matches(_ index: Int, _ event: EventView, _ slots: PathSlots) -> Bool {
        unretained[index]._withUnsafeGuaranteedRef { $0.matches(event, slots: slots) }
    }

    /// The rules `event` matches, every rule of its type's list evaluated on its own, each
    /// resolving its own paths: the reference the indexed evaluation is tested against.
    func matchPlain(_ event: EventView) -> [Int] {
        let entry = typeIndex.entry(
            rawType: event.rawBytes(event.typeNode), isEscaped: event.nodes[event.typeNode].isEscaped)
        let candidates =
            entry.map { $0.candidates >= 0 ? typeIndex.candidateLists[Int($0.candidates)] : fallback } ?? fallback
        var result: [Int] = []
        for index in candidates where rules[index].matches(event) { result.append(index) }
        return result
    }
}
