/// Checks of a correlation document that do not need it to decode, so one `rules validate`
/// reports every mistake of a correlation: its rule references even when its type or timespan is
/// wrong, and group-by fields no documented event carries.
public enum CorrelationLint {
    /// Errors for the rules `node` names that no loaded document defines (`known`: the ids and names
    /// of every rule and correlation, valid or not, so a broken rule is not also "unknown").
    public static func unknownReferences(_ node: DocumentNode, known: Set<String>) -> [Diagnostic] {
        let ruleID = node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
        guard let rulesNode = node["correlation"]?["rules"] else { return [] }
        return (rulesNode.sequence ?? [rulesNode]).compactMap { item in
            guard let text = item.scalar?.text, !known.contains(text) else { return nil }
            let hint = Suggestions.didYouMean(text, in: known.sorted())
            return .error("correlation names unknown rule '\(text)'\(hint)", at: item.location, ruleID: ruleID)
        }
    }

    /// Warnings for group-by fields of base rules that no documented event type carries (an alias is
    /// a name of the correlation's own). `elsewhere`: the ids and names of correlations, whose alerts
    /// group by names of their own, and of rules for other log sources, whose fields are theirs.
    public static func groupByWarnings(_ node: DocumentNode, elsewhere: Set<String>) -> [Diagnostic] {
        let ruleID = node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
        guard let body = node["correlation"], let groupNode = body["group-by"] else { return [] }
        let references = (body["rules"]?.sequence ?? body["rules"].map { [$0] } ?? []).compactMap(\.scalar?.text)
        guard !references.isEmpty, !references.allSatisfy(elsewhere.contains) else { return [] }
        let aliases = Set(body["aliases"]?.mapping?.compactMap(\.key.scalar?.text) ?? [])
        return (groupNode.sequence ?? [groupNode]).compactMap { item in
            guard let text = item.scalar?.text, !aliases.contains(text), let path = try? FieldPath(text),
                !EventSchema.isDocumented(path)
            else { return nil }
            let hint = EventSchema.suggestion(for: path)
            return .warning(
                "no documented event type carries group-by field '\(text)'\(hint)",
                at: item.location, ruleID: ruleID)
        }
    }
}
