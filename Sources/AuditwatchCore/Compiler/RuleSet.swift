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
    /// Every path the rules read, by slot number (the slot table's layout).
    let slotPaths: [FieldPath]
    /// What matching an event reads, behind one reference (see `CandidateMatcher`).
    private let matcher: CandidateMatcher
    /// The rules by necessary literal, so an event examines only its candidates.
    var candidateIndex: CandidateIndex { matcher.candidateIndex }

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
        matcher = CandidateMatcher(
            slotted, enabled: enabled, slotPaths: slotPaths,
            candidateIndex: CandidateIndex(slotted, slotPaths: slotPaths, slotOf: { slotByPath[$0]! }))
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
    }

    /// The rules `event` matches, in load order, and whether the API documents its type: one
    /// lookup of the raw type bytes, no `String` built; then only the candidate rules of that
    /// type (`CandidateIndex`) are evaluated, each path read once into the slot table.
    public func match(_ event: EventView) -> (rules: [Int], documented: Bool) {
        matcher.match(event)
    }

    /// The rules `event` matches, every rule of its type's list evaluated on its own, each
    /// resolving its own paths: the reference the indexed evaluation is tested against.
    func matchPlain(_ event: EventView) -> [Int] {
        matcher.matchPlain(event)
    }

    /// Indices of the rules `event` matches, in load order.
    public func matches(_ event: Event) -> [Int] {
        event.withView { match($0).rules }
    }
}
