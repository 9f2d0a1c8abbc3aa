/// A rule in its executable form: paths parsed, values lowered, the condition a tree of indices.
public struct CompiledRule: Sendable {
    /// The rule as written (metadata, location).
    public let rule: Rule
    let selections: [[[FieldMatcher]]]
    let condition: ConditionExpression
    /// Event types (lowercased) the rule can match at all, when the condition pins them.
    /// The rule set uses it to skip rules an event's type cannot satisfy.
    public let eventTypes: Set<String>?
    let summary: SummaryTemplate

    /// Whether `event` satisfies the rule's detection.
    public func matches(_ event: Event) -> Bool {
        evaluate(condition, event)
    }

    /// Whether the named selection matches `event` (for `rules explain`).
    func selectionMatches(_ index: Int, _ event: Event) -> Bool {
        selections[index].contains { alternative in alternative.allSatisfy { $0.matches(event) } }
    }

    private func evaluate(_ expression: ConditionExpression, _ event: Event) -> Bool {
        switch expression {
        case .selection(let index): return selectionMatches(index, event)
        case .not(let inner): return !evaluate(inner, event)
        case .and(let parts): return parts.allSatisfy { evaluate($0, event) }
        case .or(let parts): return parts.contains { evaluate($0, event) }
        case .anyOf(let indices): return indices.contains { selectionMatches($0, event) }
        case .allOf(let indices): return indices.allSatisfy { selectionMatches($0, event) }
        }
    }

    /// The alert summary for a match on `event`.
    public func summary(for event: Event, context: SummaryTemplate.Context) -> String {
        summary.render(event: event, context: context)
    }
}
