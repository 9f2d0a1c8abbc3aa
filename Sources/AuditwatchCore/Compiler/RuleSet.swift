/// The loaded, compiled rules with an index from event type to the rules that can match it.
public struct RuleSet: Sendable {
    public let rules: [CompiledRule]
    /// Enabled correlations over the base rules.
    public let correlations: [CompiledCorrelation]
    /// Per base rule: whether its own matches alert (Sigma's `generate`: a rule that a
    /// correlation uses alerts only when one of them says `generate: true`).
    let generates: [Bool]
    /// Per base rule: the correlation slots it feeds, as (correlation index, slot index).
    let feeds: [[(correlation: Int, slot: Int)]]
    /// Per correlation: whether its alerts go out (false when only chains use it and none says `generate`).
    let correlationGenerates: [Bool]
    /// Per correlation: the chained correlation slots its alerts feed.
    let chainFeeds: [[(correlation: Int, slot: Int)]]
    /// The rules to try, in load order, for an event of a type no rule names.
    private let fallback: [Int]
    /// For each type a rule names, the rules to try (with `fallback`), and the documented
    /// types, looked up from an event's raw type bytes.
    private let typeIndex: TypeIndex
    /// Every path the rules read, by slot number (the slot table's layout).
    let slotPaths: [FieldPath]
    /// The rules by necessary literal, so an event examines only its candidates.
    let candidateIndex: CandidateIndex
    /// Per candidate list (`typeIndex.candidateLists`, then `fallback` last): its rules that
    /// are always candidates, in load order, and a bitset of all its rules.
    private let alwaysLists: [[Int]]
    private let members: FrozenBits
    /// Per candidate list (as `alwaysLists`): the index's slots its rules have literals on.
    private let probedSlots: [[Int]]

    public init(_ rules: [CompiledRule], correlations: [CompiledCorrelation] = []) {
        let enabled = rules.indices.filter { rules[$0].rule.enabled }
        var slotByPath: [FieldPath: Int] = [:]
        var slotPaths: [FieldPath] = []
        func slot(_ path: FieldPath) -> Int {
            if let known = slotByPath[path] { return known }
            slotByPath[path] = slotPaths.count
            slotPaths.append(path)
            return slotPaths.count - 1
        }
        let slotted = rules.map { $0.assigningSlots(slot) }
        self.rules = slotted
        self.slotPaths = slotPaths
        candidateIndex = CandidateIndex(slotted, slotPaths: slotPaths, slotOf: { slotByPath[$0]! })
        let active = correlations.filter(\.rule.enabled)
        self.correlations = active
        var generates = Array(repeating: true, count: rules.count)
        var referenced = Array(repeating: false, count: rules.count)
        var wanted = Array(repeating: false, count: rules.count)
        var feeds: [[(correlation: Int, slot: Int)]] = Array(repeating: [], count: rules.count)
        var correlationGenerates = Array(repeating: true, count: active.count)
        var correlationReferenced = Array(repeating: false, count: active.count)
        var correlationWanted = Array(repeating: false, count: active.count)
        var chainFeeds: [[(correlation: Int, slot: Int)]] = Array(repeating: [], count: active.count)
        for (correlationIndex, correlation) in active.enumerated() {
            for (slotIndex, slot) in correlation.slots.enumerated() {
                switch slot.source {
                case .baseRule(let base):
                    referenced[base] = true
                    if correlation.rule.generate { wanted[base] = true }
                    feeds[base].append((correlationIndex, slotIndex))
                case .correlation(let lowerID):
                    guard let lower = active.firstIndex(where: { $0.rule.id == lowerID }) else { continue }
                    correlationReferenced[lower] = true
                    if correlation.rule.generate { correlationWanted[lower] = true }
                    chainFeeds[lower].append((correlationIndex, slotIndex))
                }
            }
        }
        for index in active.indices where correlationReferenced[index] {
            correlationGenerates[index] = correlationWanted[index] || active[index].rule.hasLevel
        }
        self.correlationGenerates = correlationGenerates
        self.chainFeeds = chainFeeds
        for index in rules.indices where referenced[index] { generates[index] = wanted[index] }
        self.generates = generates
        self.feeds = feeds
        fallback = enabled.filter { rules[$0].eventTypes == nil }
        var byType: [String: [Int]] = [:]
        for index in enabled {
            for type in rules[index].eventTypes ?? [] { byType[type, default: []].append(index) }
        }
        for (type, indices) in byType {
            byType[type] = (indices + fallback).sorted()
        }
        typeIndex = TypeIndex(byType: byType, documented: EventSchema.types)
        let lists = typeIndex.candidateLists + [fallback]
        let always = Set(candidateIndex.always)
        alwaysLists = lists.map { list in list.filter(always.contains) }
        members = FrozenBits(lists, count: rules.count)
        probedSlots = candidateIndex.slotsUsed(by: lists)
    }

    /// The rules `event` matches, in load order, and whether the API documents its type: one
    /// lookup of the raw type bytes, no `String` built; then only the candidate rules of that
    /// type (`CandidateIndex`) are evaluated, each path read once into the slot table.
    public func match(_ event: EventView) -> (rules: [Int], documented: Bool) {
        let entry = typeIndex.entry(
            rawType: event.rawBytes(event.typeNode), isEscaped: event.nodes[event.typeNode].isEscaped)
        let list =
            entry.map { $0.candidates >= 0 ? Int($0.candidates) : alwaysLists.count - 1 } ?? alwaysLists.count - 1
        let result = PathSlots.with(count: slotPaths.count) { slots in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { scratch in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: RuleSet.triggeredCapacity) { triggered in
                    matchCandidates(event, list: list, slots: slots, scratch: scratch, triggered: triggered)
                }
            }
        }
        return (result, entry?.documented ?? false)
    }

    /// Rules found through their literals, at most, before an event is simply run against its whole list.
    static let triggeredCapacity = 512

    private func matchCandidates(
        _ event: EventView, list: Int, slots: PathSlots, scratch: UnsafeMutableBufferPointer<UInt8>,
        triggered: UnsafeMutableBufferPointer<Int32>
    ) -> [Int] {
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
        var result: [Int] = []
        if overflow {
            // More literal hits than the buffer holds: every rule of the list, as without the index.
            let all = list < typeIndex.candidateLists.count ? typeIndex.candidateLists[list] : fallback
            for index in all where rules[index].matches(event, slots: slots) { result.append(index) }
            return result
        }
        var found = UnsafeMutableBufferPointer(rebasing: triggered[0..<count])
        if count > 1 { found.sort() }
        // The always-candidates and the literal hits, merged in load order, each once.
        let always = alwaysLists[list]
        var next = 0
        var position = 0
        var last = -1
        while next < always.count || position < count {
            let index: Int
            if position < count && (next == always.count || Int(found[position]) < always[next]) {
                index = Int(found[position])
                position += 1
            } else {
                index = always[next]
                next += 1
            }
            if index == last { continue }
            last = index
            if rules[index].matches(event, slots: slots) { result.append(index) }
        }
        return result
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

    /// Indices of the rules `event` matches, in load order.
    public func matches(_ event: Event) -> [Int] {
        event.withView { match($0).rules }
    }
}
