/// The engine: a state machine that takes events in order and returns the alerts they raise.
///
/// Time comes only from the events (`effective_at`), never from the clock, so a replay of the
/// same events gives the same alerts, ids included; its whole memory is `state`, which can be
/// saved and restored to resume after a restart exactly where it stopped.
///
/// Correlations see base-rule matches in event-time order whatever order they arrived in: a
/// match waits (in `pending`, saved with the state) until the watermark passes it, then enters
/// its correlation in `(time, event id)` order, so any arrival order within the lateness gives
/// the same alerts with the same ids. Correlation alerts therefore come out once the watermark
/// passes their time; `finish` releases the rest at the end of a finite input.
///
/// Correlations use sliding windows `[t - timespan, t]` per group. A count condition with only
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
    /// place (an absent state is an empty one), never copied out whole; groups in the compact
    /// `GroupTable`, converted to `CorrelationState` when the state is read.
    var correlationStates: [CorrelationStore]
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
    /// Matches waiting for the watermark, in processing order.
    var pending: PendingQueue
    /// Correlation indices by id, for released matches.
    let correlationIndices: [String: Int]
    /// The correlations whose conditions are decided at window end.
    let windowEndCorrelations: [Int]

    public init(ruleSet: RuleSet, options: EngineOptions = EngineOptions(), state: EngineState = EngineState()) {
        self.ruleSet = ruleSet
        self.options = options
        (core, correlationStates, correlationPresent, otherCorrelations) = DetectionEngine.split(state, ruleSet)
        matchCounts = Array(repeating: 0, count: ruleSet.rules.count)
        correlationIndices = Dictionary(
            ruleSet.correlations.enumerated().map { ($1.rule.id, $0) }, uniquingKeysWith: { first, _ in first })
        pending = DetectionEngine.resolved(state.pending, correlationIndices)
        windowEndCorrelations = ruleSet.correlations.indices.filter { ruleSet.correlations[$0].decidesAtWindowEnd }
    }

    /// Everything the engine remembers, as saved and restored; reading it assembles the
    /// per-correlation states into one value (a pass over the groups, as saving makes anyway).
    public var state: EngineState {
        get {
            var merged = core
            merged.correlations = otherCorrelations
            for (index, correlation) in ruleSet.correlations.enumerated() {
                if correlationPresent[index] {
                    merged.correlations[correlation.rule.id] = correlationStates[index].saved
                }
            }
            merged.pending = pending.elements
            return merged
        }
        set {
            (core, correlationStates, correlationPresent, otherCorrelations) = DetectionEngine.split(newValue, ruleSet)
            pending = DetectionEngine.resolved(newValue.pending, correlationIndices)
        }
    }

    /// Restored matches with their correlation's index in this rule set; those of correlations
    /// it does not run are dropped.
    private static func resolved(_ saved: [PendingMatch], _ indices: [String: Int]) -> PendingQueue {
        PendingQueue(
            saved.compactMap { match in
                guard let index = indices[match.correlation] else { return nil }
                var resolved = match
                resolved.index = index
                return resolved
            })
    }

    /// What the engine counts (events, late events, limits reached): cheap, no state assembly.
    public var counters: EngineCounters { core.counters }

    /// Matches waiting for the watermark before they enter their correlations.
    public var pendingCount: Int { pending.count }

    private static func split(
        _ state: EngineState, _ ruleSet: RuleSet
    ) -> (EngineState, [CorrelationStore], [Bool], [String: CorrelationState]) {
        var core = state
        var others = state.correlations
        core.correlations = [:]
        core.pending = []
        let mine = ruleSet.correlations.map { others.removeValue(forKey: $0.rule.id) }
        return (core, mine.map { $0.map(CorrelationStore.init) ?? CorrelationStore() }, mine.map { $0 != nil }, others)
    }

    /// Runs `body` on correlation `index`'s state, creating it when it holds nothing yet.
    mutating func withCorrelationState<R>(_ index: Int, _ body: (inout CorrelationStore) -> R) -> R {
        correlationPresent[index] = true
        return body(&correlationStates[index])
    }

    /// Events processed so far (across restarts, when state was restored).
    public var eventCount: Int { core.counters.events }
    /// Events of types the API does not document, by type.
    public var undocumentedTypes: [String: Int] { core.counters.undocumentedTypes }

    /// The newest event time minus the allowed lateness: an event behind it is late.
    public var watermark: Int64? { core.maxSeen.map { $0 - options.lateness } }

    /// Waiting matches older than this enter their correlations: the watermark, or, when a
    /// source said it is complete to a later time (`advance(to:)`), that time minus the lateness.
    var releaseLimit: Int64? {
        guard let complete = core.completeUntil.map({ $0 - options.lateness }) else { return watermark }
        return max(watermark ?? complete, complete)
    }

    /// A source says it has delivered every event before `time` (the service after a poll: its
    /// clock minus the poll's re-read overlap; a stateful file run at its end: just past the
    /// newest event). Waiting matches before `time` minus the lateness then enter their
    /// correlations and windows close, in a quiet period too. An event that still turns up
    /// behind that point (the source was wrong) is not late unless behind the watermark: it is
    /// correlated where it belongs, without the ordering guarantee, and counted
    /// (`reorder_horizon` in `limitHits`). `time` comes from the caller; the engine reads no clock.
    public mutating func advance(to time: Int64) -> [Alert] {
        if core.completeUntil.map({ time > $0 }) ?? true { core.completeUntil = time }
        return release(before: releaseLimit)
    }

    /// The input ends here for now (a stateful file run at its end): everything read so far
    /// is final, so every waiting match is released; windows still open stay open for events
    /// appended later (`finish` would close them too).
    public mutating func endOfInput() -> [Alert] {
        guard let newest = core.maxSeen else { return [] }
        return advance(to: newest + options.lateness + 1)
    }

    /// Times each engine limit was reached, by the name logs and `/metrics` use (see Limits in
    /// the README): groups evicted by the per-correlation cap, matches dropped by the per-group
    /// cap, `new_value` values forgotten by the per-group cap.
    public var limitHits: [(limit: String, count: Int)] {
        [
            ("correlation_groups", core.counters.evictions), ("group_entries", core.counters.entriesDropped),
            ("new_value_values", core.counters.valuesForgotten), ("reorder_horizon", core.counters.reorderedLate),
        ]
    }

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
            alerts += release(before: releaseLimit)
            if core.counters.events % 1024 == 0 { evictOldEntries() }
            return alerts
        }
        // One string for the id, shared by every alert and correlation entry this event makes.
        let eventID = event.id
        var texts = EventTexts()
        var position = 0
        let released = releaseLimit
        for index in matched.rules {
            matchCounts[index] += 1
            if ruleSet.generates[index] {
                alerts += suppress(
                    singleEventAlert(ruleSet.rules[index], event, eventID: eventID),
                    rule: ruleSet.rules[index].rule.suppress)
            }
            guard !late else { continue }
            for feed in ruleSet.feeds[index] {
                guard
                    let match = pendingMatch(
                        feed.correlation, slot: feed.slot, event: event, eventID: eventID, position: position,
                        texts: &texts)
                else { continue }
                if let released, match.time < released { core.counters.reorderedLate += 1 }
                pending.insert(match, name: ruleSet.correlations[feed.correlation].rule.id)
                position += 1
            }
        }
        alerts += release(before: releaseLimit)
        if core.counters.events % 1024 == 0 { evictOldEntries() }
        return alerts
    }

    /// Ends a finite input: decides every open window and flushes every suppression, as if all
    /// later events had arrived. Call once, after the last event of a file.
    public mutating func finish() -> [Alert] {
        release(before: .max)
    }

    private func singleEventAlert(_ compiled: CompiledRule, _ event: Event, eventID: String) -> Alert {
        let rule = compiled.rule
        let group = compiled.suppressPaths.map { GroupValue(field: $0.text, value: event.text($0)) }
        let context = SummaryTemplate.Context(
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, count: 1, firstAt: event.effectiveAt,
            lastAt: event.effectiveAt, group: [])
        return Alert(
            id: AlertID.make(ruleID: rule.id, group: [], anchorEventID: eventID),
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, tags: rule.tags, group: group,
            count: 1, firstAt: event.effectiveAt, lastAt: event.effectiveAt, eventIDs: [eventID],
            summary: compiled.summary(for: event, context: context))
    }

    /// Releases the waiting matches older than `limit` into their correlations, in order, and
    /// decides what closes on the way; then what closes before `limit`.
    mutating func release(before limit: Int64?) -> [Alert] {
        guard let limit else { return [] }
        var alerts: [Alert] = []
        while let time = pending.firstTime, time < limit {
            let match = pending.removeFirstQueued()
            if hasDecisions(before: time) { alerts += closeExpired(before: time) }
            let raised = feedCorrelation(Int(match.correlation), match)
            if !raised.isEmpty { alerts += raised }
        }
        if hasDecisions(before: limit) { alerts += closeExpired(before: limit) }
        return alerts
    }

    /// Whether a window or a suppression completes before `limit` (the common answer is no,
    /// without building anything).
    private func hasDecisions(before limit: Int64) -> Bool {
        if let next = core.nextRelease, next - 1 < limit { return true }
        for index in windowEndCorrelations {
            if let next = correlationStates[index].nextDecision, next < limit { return true }
        }
        return false
    }

    /// Decides the windows and suppressions complete before `limit`, one completion time after
    /// another (windows first at a tie), so the order of alerts does not depend on how far
    /// each call reaches: a window `[s, e]` completes at `e + 1`, a suppression at its end.
    private mutating func closeExpired(before limit: Int64) -> [Alert] {
        var alerts: [Alert] = []
        while true {
            var step = core.nextRelease.map { $0 - 1 }
            for index in windowEndCorrelations {
                if let next = correlationStates[index].nextDecision { step = min(step ?? next, next) }
            }
            // `step` is the last second that must be complete; nothing is due unless it is before `limit`.
            guard let due = step, due < limit else { break }
            for index in windowEndCorrelations { alerts += closeWindows(index, before: due + 1) }
            alerts += releaseSuppressions(upTo: due + 1)
        }
        return alerts
    }
}
