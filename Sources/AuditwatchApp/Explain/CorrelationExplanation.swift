public import AuditwatchCore

/// `rules explain CORRELATION --events FILE`: the events run through the real engine; for each
/// event its base rules match, the group it counts in, the window and the events of that group
/// within it so far, and each alert of the correlation as it fires.
public enum CorrelationExplanation {
    public static func text(
        _ correlation: CorrelationRule, events: [Event], ruleSet: RuleSet
    ) -> (text: String, fired: Bool) {
        let references = Set(correlation.rules.map(\.value))
        let bases = ruleSet.rules.filter {
            references.contains($0.rule.id) || $0.rule.name.map(references.contains) == true
        }
        let groupBy = correlation.groupBy.isEmpty ? "nothing" : correlation.groupBy.joined(separator: ", ")
        let fires = correlation.condition.map { ", fires when the count is \($0.description)" } ?? ""
        var lines = [
            "correlation \(correlation.id) (\(correlation.kind.rawValue)): "
                + "over \(bases.map(\.rule.id).joined(separator: ", ")), group by \(groupBy), "
                + "window \(duration(correlation.timespan))" + fires
        ]
        let paths = correlation.groupBy.map { try? FieldPath($0) }
        var engine = DetectionEngine(ruleSet: ruleSet)
        var times: [String: [Int64]] = [:]
        var fired = false
        func report(_ alerts: [Alert]) {
            for alert in alerts where alert.ruleID == correlation.id {
                fired = true
                lines.append("  → fires: " + AlertFormatter.textLine(alert))
            }
        }
        for event in events {
            let matched = bases.filter { $0.matches(event) }.map(\.rule.id)
            if !matched.isEmpty {
                let group = zip(correlation.groupBy, paths)
                    .map { "\($0): \($1.flatMap { event.text($0) } ?? "null")" }.joined(separator: ", ")
                let since = event.effectiveAt - correlation.timespan
                var seen = (times[group] ?? []).filter { $0 > since }
                seen.append(event.effectiveAt)
                times[group] = seen
                lines.append(Explanation.heading(event) + ": matches \(matched.joined(separator: ", "))")
                lines.append(
                    "    group {\(AlertFormatter.printable(group))}: "
                        + "\(seen.count) matching event\(seen.count == 1 ? "" : "s") since \(UTCTime.iso8601(since)) (the window)"
                )
            }
            report(engine.process(event))
        }
        report(engine.finish())
        if !fired { lines.append("  the correlation does not fire on these events") }
        return (lines.joined(separator: "\n"), fired)
    }

    private static func duration(_ seconds: Int64) -> String {
        if seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
