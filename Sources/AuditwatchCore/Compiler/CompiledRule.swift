/// A rule in its executable form: paths parsed, values lowered, the condition a tree of indices.
/// A class: evaluation reads it by reference, never copying its many fields per event.
public final class CompiledRule: Sendable {
    /// The rule as written (metadata, location).
    public let rule: Rule
    let selections: [[[FieldMatcher]]]
    /// Selection names, filter selections included, in index order.
    let selectionNames: [String]
    let condition: ConditionExpression
    /// Event types (lowercased) the rule can match at all, when the condition pins them.
    /// The rule set uses it to skip rules an event's type cannot satisfy.
    public let eventTypes: Set<String>?
    let summary: SummaryTemplate
    /// `suppress_by`, parsed once (the decoder has already reported any bad path).
    let suppressPaths: [FieldPath]
    /// `selections` and `condition` as flat memory, for `matches(_:slots:)`; freed in `deinit`.
    /// Only the slotted copy a rule set evaluates has one (building it costs start-up time).
    private let program: RuleProgram?

    init(
        rule: Rule, selections: [[[FieldMatcher]]], selectionNames: [String], condition: ConditionExpression,
        eventTypes: Set<String>?, summary: SummaryTemplate, slotted: Bool = false
    ) {
        self.rule = rule
        suppressPaths = rule.suppressBy.compactMap { try? FieldPath($0) }
        self.selections = selections
        self.selectionNames = selectionNames
        self.condition = condition
        self.eventTypes = eventTypes
        self.summary = summary
        program = slotted ? RuleProgram(selections: selections, condition: condition) : nil
    }

    deinit {
        program?.deallocate()
    }

    /// Whether `event` satisfies the rule's detection.
    public func matches(_ event: Event) -> Bool {
        event.withView { evaluate(condition, $0) }
    }

    /// Whether `event` satisfies the rule's detection.
    public func matches(_ event: EventView) -> Bool {
        evaluate(condition, event)
    }

    /// A copy whose matchers read their paths' slots (`slot` numbers each path), for a rule set's hot path.
    func assigningSlots(_ slot: (FieldPath) -> Int) -> CompiledRule {
        let slotted = selections.map { alternatives in
            alternatives.map { entries in
                entries.map { matcher in matcher.isKeyword ? matcher : matcher.slotted(slot(matcher.path)) }
            }
        }
        return CompiledRule(
            rule: rule, selections: slotted, selectionNames: selectionNames, condition: condition,
            eventTypes: eventTypes, summary: summary, slotted: true)
    }

    /// Whether `event` satisfies the rule's detection, paths read through the event's slot table.
    @inline(__always)
    func matches(_ event: EventView, slots: PathSlots) -> Bool {
        guard let program else { return evaluate(condition, event) }
        return program.matches(event, slots: slots)
    }

    /// Whether the named selection matches `event` (for `rules explain`).
    func selectionMatches(_ index: Int, _ event: Event) -> Bool {
        event.withView { selectionMatches(index, $0) }
    }

    func selectionMatches(_ index: Int, _ event: EventView) -> Bool {
        selections[index].contains { alternative in alternative.allSatisfy { $0.matches(event) } }
    }

    private func evaluate(_ expression: ConditionExpression, _ event: EventView) -> Bool {
        switch expression {
        case .selection(let index): return selectionMatches(index, event)
        case .not(let inner): return !evaluate(inner, event)
        case .and(let parts): return parts.allSatisfy { evaluate($0, event) }
        case .or(let parts): return parts.contains { evaluate($0, event) }
        case .anyOf(let indices): return indices.contains { selectionMatches($0, event) }
        case .allOf(let indices): return indices.allSatisfy { selectionMatches($0, event) }
        }
    }

    /// Why `event` does or does not match, selection by selection and field by field.
    public func explain(_ event: Event) -> RuleExplanation {
        let explained = selections.indices.map { index in
            RuleExplanation.SelectionResult(
                name: selectionNames[index],
                matched: selectionMatches(index, event),
                alternatives: selections[index].map { alternative in
                    alternative.map { matcher in
                        RuleExplanation.FieldResult(
                            entry: matcher.label, matched: matcher.matches(event), actual: matcher.actualValues(event),
                            suggestion: matcher.isKeyword || EventSchema.isDocumented(matcher.path)
                                ? "" : EventSchema.suggestion(for: matcher.path),
                            isKeyword: matcher.isKeyword)
                    }
                })
        }
        return RuleExplanation(
            ruleID: rule.id, matched: matches(event), condition: describe(condition), selections: explained)
    }

    private func describe(_ expression: ConditionExpression) -> String {
        switch expression {
        case .selection(let index): return selectionNames[index]
        case .not(let inner): return "not " + describe(inner)
        case .and(let parts): return "(" + parts.map(describe).joined(separator: " and ") + ")"
        case .or(let parts): return "(" + parts.map(describe).joined(separator: " or ") + ")"
        case .anyOf(let indices): return "1 of (" + indices.map { selectionNames[$0] }.joined(separator: ", ") + ")"
        case .allOf(let indices): return "all of (" + indices.map { selectionNames[$0] }.joined(separator: ", ") + ")"
        }
    }

    /// The alert summary for a match on `event`.
    public func summary(for event: Event, context: SummaryTemplate.Context) -> String {
        summary.render(event: event, context: context)
    }
}
