/// The engine: a state machine that takes events in order and returns the alerts they raise.
///
/// Time comes only from the events (`effective_at`), never from the clock, so a replay of the
/// same events gives the same alerts, ids included.
public struct DetectionEngine: Sendable {
    public let ruleSet: RuleSet
    /// Events processed so far.
    public private(set) var eventCount = 0
    /// Matches per rule index.
    public private(set) var matchCounts: [Int]
    /// Events whose type the API does not document, by type: how users learn the API grew.
    public private(set) var undocumentedTypes: [String: Int] = [:]

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        matchCounts = Array(repeating: 0, count: ruleSet.rules.count)
    }

    /// Evaluates `event` against every rule and returns the alerts it raises, in rule order.
    public mutating func process(_ event: Event) -> [Alert] {
        eventCount += 1
        let type = RuleSet.indexKey(event)
        if !EventSchema.types.contains(type) { undocumentedTypes[event.type, default: 0] += 1 }
        var alerts: [Alert] = []
        for index in ruleSet.matches(event, type: type) {
            matchCounts[index] += 1
            alerts.append(singleEventAlert(ruleSet.rules[index], event))
        }
        return alerts
    }

    private func singleEventAlert(_ compiled: CompiledRule, _ event: Event) -> Alert {
        let rule = compiled.rule
        let eventID = event.id
        let context = SummaryTemplate.Context(ruleID: rule.id, ruleTitle: rule.title, level: rule.level, count: 1, firstAt: event.effectiveAt, lastAt: event.effectiveAt, group: [])
        return Alert(
            id: AlertID.make(ruleID: rule.id, group: [], anchorEventID: eventID),
            ruleID: rule.id, ruleTitle: rule.title, level: rule.level, tags: rule.tags, group: [],
            count: 1, firstAt: event.effectiveAt, lastAt: event.effectiveAt, eventIDs: [eventID],
            summary: compiled.summary(for: event, context: context))
    }
}
