extension RuleSetAssembler {
    /// Correlations come last: they refer to base rules by id or name.
    /// `ruleNames`: the ids and names of every rule that decoded, compiled or not, so a broken rule is
    /// not also "unknown" to the correlations naming it.
    func loadCorrelations(
        _ nodes: [DocumentNode], into result: inout AssembledRules,
        ruleDefinitions: [String: SourceLocation], ruleNames: Set<String>
    ) {
        var decoded: [CorrelationRule] = []
        var places = ruleDefinitions
        let correlationNames = Set(
            nodes.flatMap { node in [node["id"], node["name"]].compactMap { $0?.scalar?.text } })
        let foreignRules = Set(result.skipped.flatMap { [$0.id] + [$0.name].compactMap { $0 } })
        for node in nodes {
            let outcome = CorrelationDecoder.decode(node)
            result.diagnostics += outcome.diagnostics
            result.diagnostics += CorrelationLint.groupByWarnings(node, elsewhere: correlationNames.union(foreignRules))
            guard let correlation = outcome.correlation.map(tuned) else {
                // Every mistake in one pass: the references of a correlation that did not decode.
                result.diagnostics += CorrelationLint.unknownReferences(node, known: ruleNames.union(correlationNames))
                continue
            }
            if let first = places[correlation.id] {
                result.diagnostics.append(
                    .error(
                        "duplicate rule id '\(correlation.id)'; it is also defined at \(first)",
                        at: correlation.location, ruleID: correlation.id))
                continue
            }
            places[correlation.id] = correlation.location
            decoded.append(correlation)
        }
        var byReference: [String: CorrelationRule] = [:]
        for correlation in decoded {
            byReference[correlation.id] = correlation
            if let name = correlation.name { byReference[name] = correlation }
        }
        // Chains run lower correlations first; a cycle is an error.
        var ordered: [CorrelationRule] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ correlation: CorrelationRule) {
            if state[correlation.id] == 2 { return }
            if state[correlation.id] == 1 {
                result.diagnostics.append(
                    .error(
                        "correlation '\(correlation.id)' is part of a cycle of correlations", at: correlation.location,
                        ruleID: correlation.id))
                return
            }
            state[correlation.id] = 1
            for reference in correlation.rules { if let lower = byReference[reference.value] { visit(lower) } }
            state[correlation.id] = 2
            ordered.append(correlation)
        }
        for correlation in decoded { visit(correlation) }
        for correlation in ordered {
            let others = byReference.filter { $0.value.id != correlation.id }
            let compiled = CompiledCorrelation.compile(
                correlation, baseRules: result.rules, correlations: others, zones: { try? zones.zone($0).get() })
            // A rule or correlation with errors of its own is not also unknown to the correlation naming it.
            let own = [correlation.id] + [correlation.name].compactMap { $0 }
            let excused = ruleNames.union(correlationNames).subtracting(own)
            result.diagnostics += zones.withZoneHints(compiled.diagnostics).filter { diagnostic in
                !excused.contains { diagnostic.message.hasPrefix("correlation names unknown rule '\($0)'") }
            }
            if let ready = compiled.correlation { result.correlations.append(ready) }
        }
    }
}
