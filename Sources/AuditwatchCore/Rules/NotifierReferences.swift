/// The notifiers rules and correlations name with `notify:`, checked against those the config
/// defines.
public enum NotifierReferences {
    /// Rule id → the notifiers it sends to, for the router (rules and correlations with `notify:`).
    public static func byRule(_ rules: [Rule], _ correlations: [CorrelationRule]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for rule in rules { if let names = rule.notify { result[rule.id] = names } }
        for correlation in correlations { if let names = correlation.notify { result[correlation.id] = names } }
        return result
    }

    /// An error at the `notify:` key for each name no notifier in `known` has, with a suggestion.
    public static func unknown(
        _ rules: [Rule], _ correlations: [CorrelationRule], known: some Collection<String>
    ) -> [Diagnostic] {
        let names = known.sorted()
        let written =
            rules.map { ($0.id, $0.notify, $0.notifyLocation ?? $0.location) }
            + correlations.map { ($0.id, $0.notify, $0.notifyLocation ?? $0.location) }
        return written.flatMap { id, notify, location in
            (notify ?? []).filter { !known.contains($0) }.map { name in
                .error(
                    "rule names unknown notifier '\(name)'\(Suggestions.didYouMean(name, in: names))", at: location,
                    ruleID: id)
            }
        }
    }
}
