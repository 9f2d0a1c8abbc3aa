/// A correlation in executable form: base rules resolved to indices, group-by and value fields
/// resolved to paths per referenced rule (aliases applied).
public final class CompiledCorrelation: Sendable {
    public let rule: CorrelationRule
    /// One slot per referenced rule, in the listed order (the order `temporal_ordered` wants).
    let slots: [Slot]
    let summary: SummaryTemplate

    init(rule: CorrelationRule, slots: [Slot], summary: SummaryTemplate) {
        self.rule = rule
        self.slots = slots
        self.summary = summary
        summaryPaths = summary.eventPaths
        switch rule.kind {
        case .eventCount, .valueCount: emptyWindowRearms = !(rule.condition?.holds(0) ?? true)
        case .temporal: emptyWindowRearms = !(rule.condition?.holds(0) ?? false)
        case .temporalOrdered, .newValue: emptyWindowRearms = true
        }
        switch rule.kind {
        case .eventCount, .valueCount: decidesAtWindowEnd = !(rule.condition?.isMonotone ?? true)
        case .temporal, .temporalOrdered, .newValue: decidesAtWindowEnd = false
        }
    }

    struct Slot: Sendable {
        enum Source: Sendable, Equatable {
            case baseRule(Int)
            /// Another correlation, by id: its alerts are this slot's matches.
            case correlation(String)
        }
        let source: Source
        /// For base rules: where each group-by value is read.
        let groupPaths: [FieldPath]
        /// For chained correlations: the lower alert's group field giving each group-by value.
        let groupFields: [String]
        let valuePaths: [FieldPath]
    }

    /// Resolves `correlation` against the loaded base rules.
    /// `correlations` maps the ids and names of the other correlations to their ids (chains).
    public static func compile(
        _ correlation: CorrelationRule, baseRules: [CompiledRule], correlations: [String: CorrelationRule],
        zones: (String) -> ZoneRules? = { $0 == "UTC" ? .utc : nil }
    ) -> (correlation: CompiledCorrelation?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let id = correlation.id
        var slots: [Slot] = []
        for reference in correlation.rules {
            if let lower = correlations[reference.value] {
                // A chain: group-by names are read from the lower correlation's alert group.
                let fields = correlation.groupBy.map { name in
                    correlation.aliases[name]?[lower.id] ?? lower.name.flatMap { correlation.aliases[name]?[$0] }
                        ?? name
                }
                for field in fields where !lower.groupBy.contains(field) {
                    diagnostics.append(
                        .error(
                            "'\(lower.id)' does not group by '\(field)', so its alerts cannot be grouped here; group it by the same field or map one with aliases",
                            at: reference.location, ruleID: id))
                }
                slots.append(Slot(source: .correlation(lower.id), groupPaths: [], groupFields: fields, valuePaths: []))
                continue
            }
            guard
                let index = baseRules.firstIndex(where: {
                    $0.rule.id == reference.value || $0.rule.name == reference.value
                })
            else {
                diagnostics.append(
                    .error(
                        "correlation names unknown rule '\(reference.value)'\(Suggestions.didYouMean(reference.value, in: baseRules.map(\.rule.id) + correlations.keys))",
                        at: reference.location, ruleID: id))
                continue
            }
            let base = baseRules[index].rule
            func path(_ name: String) -> FieldPath? {
                var mapped = name
                if let mapping = correlation.aliases[name] {
                    mapped = mapping[base.id] ?? base.name.flatMap { mapping[$0] } ?? name
                }
                do throws(FieldPathError) {
                    return try FieldPath(mapped)
                } catch {
                    diagnostics.append(
                        .error("\(error.message) in correlation '\(id)'", at: correlation.location, ruleID: id))
                    return nil
                }
            }
            let groupPaths = correlation.groupBy.compactMap(path)
            let valuePaths = correlation.fields.compactMap(path)
            slots.append(
                Slot(source: .baseRule(index), groupPaths: groupPaths, groupFields: [], valuePaths: valuePaths))
        }
        for (alias, mapping) in correlation.aliases {
            if !correlation.groupBy.contains(alias) && !correlation.fields.contains(alias) {
                diagnostics.append(
                    .warning("alias '\(alias)' is not used in group-by or field", at: correlation.location, ruleID: id))
            }
            for rule in mapping.keys where !correlation.rules.contains(where: { $0.value == rule }) {
                diagnostics.append(
                    .error(
                        "alias '\(alias)' maps rule '\(rule)', which this correlation does not reference",
                        at: correlation.location, ruleID: id))
            }
        }
        var summary = SummaryTemplate.standard
        if let text = correlation.summary {
            let parsed = SummaryTemplate.parse(
                text, at: correlation.summaryLocation ?? correlation.location, ruleID: id, zones: zones)
            diagnostics += parsed.diagnostics
            if let template = parsed.template { summary = template }
        }
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (CompiledCorrelation(rule: correlation, slots: slots, summary: summary), diagnostics)
    }

    /// Whether alerts are decided when a window closes rather than when it crosses the threshold.
    let decidesAtWindowEnd: Bool
    /// The event fields the summary reads, read when a match arrives (the event is not kept).
    let summaryPaths: [FieldPath]
    /// Whether the condition is false over an empty window, so a firing group whose window
    /// emptied has re-armed.
    let emptyWindowRearms: Bool
}
