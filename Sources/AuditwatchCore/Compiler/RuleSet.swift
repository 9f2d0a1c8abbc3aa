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

    public init(_ rules: [CompiledRule], correlations: [CompiledCorrelation] = []) {
        let enabled = rules.indices.filter { rules[$0].rule.enabled }
        self.rules = rules
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
    }

    /// The rules `event` matches, in load order, and whether the API documents its type: one
    /// lookup of the raw type bytes, no `String` built.
    public func match(_ event: EventView) -> (rules: [Int], documented: Bool) {
        let entry = typeIndex.entry(
            rawType: event.rawBytes(event.typeNode), isEscaped: event.nodes[event.typeNode].isEscaped)
        let candidates =
            entry.map { $0.candidates >= 0 ? typeIndex.candidateLists[Int($0.candidates)] : fallback } ?? fallback
        var result: [Int] = []
        for index in candidates where rules[index].matches(event) { result.append(index) }
        return (result, entry?.documented ?? false)
    }

    /// Indices of the rules `event` matches, in load order.
    public func matches(_ event: Event) -> [Int] {
        event.withView { match($0).rules }
    }
}
