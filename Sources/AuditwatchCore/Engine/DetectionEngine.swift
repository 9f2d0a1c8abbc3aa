/// The engine: a state machine that takes events in order and returns the alerts they raise.
///
/// Time comes only from the events (`effective_at`), never from the clock, so a replay of the
/// same events gives the same alerts, ids included; its whole memory is `state`, which can be
/// saved and restored to resume after a restart exactly where it stopped.
///
/// Correlations use sliding windows `(t - timespan, t]` per group. A count condition with only
/// lower bounds (`gte`, `gt`) fires once, at the event that first makes it true in event time;
/// further matches while it holds raise nothing; the group re-arms when a new match finds it
/// false. Conditions a later event could falsify (`lt`, `lte`, `eq`, `neq`, a range) are decided
/// when the window that opened at the group's first match closes, once the watermark (newest
/// event time minus the allowed lateness) passes its end. An event behind the watermark is late:
/// counted, evaluated by single-event rules, not by correlations.
public struct DetectionEngine: Sendable {
    public let ruleSet: RuleSet
    public let options: EngineOptions
    /// Everything the engine remembers but the correlations' groups (`correlationStates`).
    var core: EngineState
    /// Per correlation of `ruleSet`, by index: the hot path never hashes a rule id. Read in
    /// place (an absent state is an empty one), never copied out whole.
    var correlationStates: [CorrelationState]
    /// Whether each correlation holds state, as an entry of `EngineState.correlations` would.
    var correlationPresent: [Bool]
    /// Restored state of correlations this rule set does not run (disabled or removed), kept
    /// as it was so a later configuration that runs them again finds it.
    var otherCorrelations: [String: CorrelationState]
    /// Matches per rule index (for this process's lifetime).
    public private(set) var matchCounts: [Int]
    /// The latest event time that may move the watermark (the caller's clock plus
    /// `EventTime.futureSkew`; the engine has no clock). Later events are processed but leave
    /// the watermark alone. Setting it also pulls back a watermark an earlier run let run ahead.
    public var timeBound: Int64 = .max {
        didSet { if let seen = core.maxSeen, seen > timeBound { core.maxSeen = timeBound } }
    }

    public init(ruleSet: RuleSet, options: EngineOptions = EngineOptions(), state: EngineState = EngineState()) {
        self.ruleSet = ruleSet
        self.options = options
        (core, correlationStates, correlationPresent, otherCorrelations) = DetectionEngine.split(state, ruleSet)
        matchCounts = Array(repeating: 0, count: ruleSet.rules.count)
    }

    /// Everything the engine remembers, as saved and restored; reading it assembles the
    /// per-correlation states into one value (cheap: the tables are shared, not copied).
    public var state: EngineState {
        get {
            var merged = core
            merged.correlations = otherCorrelations
            for (index, correlation) in ruleSet.correlations.enumerated() {
                if correlationPresent[index] { merged.correlations[correlation.rule.id] = correlationStates[index] }
            }
            return merged
        }
        set { (core, correlationStates, correlationPresent, otherCorrelations) = DetectionEngine.split(newValue, ruleSet) }
    }

    private static func split(_ state: EngineState, _ ruleSet: RuleSet) -> (EngineState, [CorrelationState], [Bool], [String: CorrelationState]) {
        var core = state
        var others = state.correlations
        core.correlations = [:]
        let mine = ruleSet.correlations.map { others.removeValue(forKey: $0.rule.id) }
        return (core, mine.map { $0 ?? CorrelationState() }, mine.map { $0 != nil }, others)
    }

    /// Runs `body` on correlation `index`'s state, creating it when it holds nothing yet.
    mutating func withCorrelationState<Result>(_ index: Int, _ body: (inout CorrelationState) -> Result) -> Result {
        correlationPresent[index] = true
        return body(&correlationStates[index])
    }

    /// Events processed so far (across restarts, when state was restored).
    public var eventCount: Int { core.counters.events }
    /// Events of types the API does not document, by type.
    public var undocumentedTypes: [String: Int] { core.counters.undocumentedTypes }

    /// The newest event time minus the allowed lateness.
    public var watermark: Int64? { core.maxSeen.map { $0 - options.lateness } }

    /// The stateless half of processing: which rules `event` matches. Pure and thread-safe, so
    /// a reader thread can do it ahead of `process(_:matched:)`.
    public static func match(_ event: Event, in ruleSet: RuleSet) -> Matched {
        let (rules, documented) = event.withView { ruleSet.match($0) }
        return Matched(rules: rules, documented: documented)
    }

    /// What `match` found for one event.
    public struct Matched: Sendable {
        public var rules: [Int]
        public var documented: Bool
    }

    /// Evaluates `event` and returns the alerts it raises, and any that its time closes.
    public mutating func process(_ event: Event) -> [Alert] {
        process(event, matched: DetectionEngine.match(event, in: ruleSet))
    }

    /// The stateful half: applies an event whose matches were already computed, in event order.
    public mutating func process(_ event: Event, matched: Matched) -> [Alert] {
        core.counters.events += 1
        let time = event.effectiveAt
        let late = watermark.map { time < $0 } ?? false
        if late { core.counters.lateEvents += 1 }
        if time <= timeBound, core.maxSeen.map({ time > $0 }) ?? true { core.maxSeen = time }
        if !matched.documented { core.counters.undocumentedTypes[event.type, default: 0] += 1 }

        var alerts: [Alert] = []
        guard !matched.rules.isEmpty else {
            alerts += closeExpired(upTo: watermark)
            if core.counters.events % 1024 == 0 { evictOldEntries() }
            return alerts
        }
        // One string for the id, shared by every alert and correlation entry this event makes.
        let eventID = event.id
        var texts = EventTexts()
        for index in matched.rules {
            matchCounts[index] += 1
            if ruleSet.generates[index] {
                alerts += suppress(singleEventAlert(ruleSet.rules[index], event, eventID: eventID), rule: ruleSet.rules[index].rule.suppress)
            }
            guard !late else { continue }
            for feed in ruleSet.feeds[index] {
                alerts += feedCorrelation(feed.correlation, slot: feed.slot, event: event, eventID: eventID, texts: &texts)
            }
        }
        alerts += closeExpired(upTo: watermark)
        if core.counters.events % 1024 == 0 { evictOldEntries() }
        return alerts
    }

    /// Ends a finite input: decides every open window and flushes every suppression, as if all
    /// later events had arrived. Call once, after the last event of a file.
    public mutating func finish() -> [Alert] {
        closeExpired(upTo: .max)
    }

    private func singleEventAlert(_ compiled: CompiledRule, _ event: Event, eventID: String) -> Alert {
        let rule = compiled.rule
        let group = compiled.suppressPaths.map { GroupValue(field: $0.text, value: event.text($0)) }
        let context = SummaryTemplate.Context(ruleID: rule.id, ruleTitle: rule.title, level: rule.level, count: 1, firstAt: event.effectiveAt, lastAt: event.effectiveAt, group: [])
        return Alert(
            id: AlertID.make(ruleID: rule.id, group: [], anchorEventID: eventID),
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, tags: rule.tags, group: group,
            count: 1, firstAt: event.effectiveAt, lastAt: event.effectiveAt, eventIDs: [eventID],
            summary: compiled.summary(for: event, context: context))
    }

    /// Decides the windows and suppressions that end at or before `limit`, in a stable order.
    private mutating func closeExpired(upTo limit: Int64?) -> [Alert] {
        guard let limit else { return [] }
        var alerts: [Alert] = []
        for index in ruleSet.correlations.indices where ruleSet.correlations[index].decidesAtWindowEnd {
            alerts += closeWindows(index, upTo: limit)
        }
        alerts += releaseSuppressions(upTo: limit)
        return alerts
    }
}
