import AuditwatchCore

/// What a failing test prints: each missing expectation with the fields that differ from the
/// closest alert no other expectation took, then each unexpected alert once, with its events.
/// Event text is attacker-controlled, so every value is printed with control characters escaped.
enum FailureReport {
    static func failures(expectations: [Expectation], alerts: [Alert], events: [Event], ruleSet: RuleSet) -> [String] {
        var unmatched = alerts
        var missing: [Expectation] = []
        for expectation in expectations {
            if let index = unmatched.firstIndex(where: expectation.matches) {
                unmatched.remove(at: index)
            } else {
                missing.append(expectation)
            }
        }
        // Each missing expectation may claim, as its closest actual, one alert nobody matched.
        var claimed = Set<Int>()
        var failures: [String] = []
        for expectation in missing {
            var text =
                "missing: \(printable(expectation.description))"
                + "  (expected at line \(expectation.location.line))"
            let candidates = unmatched.indices.filter {
                unmatched[$0].ruleID == expectation.rule && !claimed.contains($0)
            }
            let distance = { (index: Int) in differences(expectation, unmatched[index]).count }
            if let closest = candidates.min(by: { distance($0) < distance($1) }) {
                claimed.insert(closest)
                text += "\n    closest actual: unexpected alert \(closest + 1) below"
                for difference in differences(expectation, unmatched[closest]) { text += "\n      " + difference }
            } else {
                text += "\n    no alert of rule \(expectation.rule) is left to compare with"
                text += explanations(expectation, events: events, ruleSet: ruleSet)
            }
            failures.append(text)
        }
        for (index, alert) in unmatched.enumerated() {
            failures.append("unexpected alert \(index + 1):\n" + describe(alert, events: events, indent: "    "))
        }
        return failures
    }

    /// `count: expected 5, got 4`, one line per field the expectation gives and the alert lacks.
    static func differences(_ expectation: Expectation, _ alert: Alert) -> [String] {
        var lines: [String] = []
        if let group = expectation.group {
            let actual = alert.group.map { "\($0.field): \($0.value ?? "null")" }.joined(separator: ", ")
            let expected = group.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value ?? "null")" }
                .joined(separator: ", ")
            let actualSorted = alert.group.sorted { $0.field < $1.field }.map { "\($0.field): \($0.value ?? "null")" }
                .joined(separator: ", ")
            if expected != actualSorted {
                lines.append("group: expected {\(printable(expected))}, got {\(printable(actual))}")
            }
        }
        if let at = expectation.at, at != alert.lastAt {
            lines.append("at: expected \(UTCTime.iso8601(at)), got \(UTCTime.iso8601(alert.lastAt))")
        }
        if let count = expectation.count, count != alert.count {
            lines.append("count: expected \(count), got \(alert.count)")
        }
        if let events = expectation.events, events != alert.eventIDs {
            lines.append(
                "events: expected [\(printable(events.joined(separator: ", ")))], "
                    + "got [\(printable(alert.eventIDs.joined(separator: ", ")))]")
        }
        if let suppressed = expectation.suppressed, suppressed != alert.suppressed {
            lines.append("suppressed: expected \(suppressed), got \(alert.suppressed)")
        }
        if let summary = expectation.summary, summary != alert.summary {
            lines.append("summary: expected \"\(printable(summary))\", got \"\(printable(alert.summary))\"")
        }
        return lines
    }

    /// For a single-event rule that raised nothing: why it did not match the expected events
    /// (or every event of the test, at most five), selection by selection, with the event's values.
    private static func explanations(_ expectation: Expectation, events: [Event], ruleSet: RuleSet) -> String {
        guard let rule = ruleSet.rules.first(where: { $0.rule.id == expectation.rule }) else { return "" }
        let wanted = expectation.events.map { ids in events.filter { ids.contains($0.id) } } ?? events
        var text = ""
        for event in wanted.prefix(5) {
            let time = UTCTime.iso8601(event.effectiveAt)
            text += "\n    event \(printable(event.id)) (\(printable(event.type)), \(time)):"
            for line in rule.explain(event).text.split(separator: "\n") { text += "\n      " + line }
        }
        if wanted.count > 5 { text += "\n    … and \(wanted.count - 5) more events" }
        return text
    }

    /// An alert with the events behind it.
    static func describe(_ alert: Alert, events: [Event], indent: String) -> String {
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let group = alert.group.map { "\($0.field): \($0.value ?? "null")" }.joined(separator: ", ")
        var text =
            indent + "rule \(alert.ruleID), group {\(printable(group))}, "
            + "at \(UTCTime.iso8601(alert.lastAt)), count \(alert.count)"
        if alert.suppressed > 0 { text += ", suppressed \(alert.suppressed)" }
        text += ", summary \"\(printable(alert.summary))\""
        for id in alert.eventIDs.prefix(8) {
            guard let event = byID[id] else { continue }
            let time = UTCTime.iso8601(event.effectiveAt)
            text += "\n" + indent + "  event \(printable(id)): \(printable(event.type)) at \(time)"
        }
        if alert.eventIDs.count > 8 { text += "\n" + indent + "  … and \(alert.eventIDs.count - 8) more events" }
        return text
    }

    private static func printable(_ text: String) -> String { AlertFormatter.printable(text) }
}
