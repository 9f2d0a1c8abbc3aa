public import AuditwatchCore

/// One test of rules: events in, the alerts expected out.
public struct RuleTestCase: Sendable {
    public enum Events: Sendable {
        /// Events written in the test (already turned into JSON).
        case inline([Located<String>])
        /// A fixture log, any format `run` reads, relative to the test file.
        case fixture(path: String, location: SourceLocation)
    }

    public var name: String
    public var location: SourceLocation
    /// Rules whose alerts the test checks; nil: every rule. Alerts of other rules are ignored.
    public var scope: [Located<String>]?
    public var events: Events
    /// Calendars pinned for this test: name → calendar file (relative to the test file).
    public var calendars: [String: Located<String>]
    /// Placeholder values pinned for this test: name → values (they win over every other source).
    public var placeholders: [String: [String]] = [:]
    /// Save and restore the engine's state after this many events: alerts must not change.
    public var restartAfter: Int?
    public var expectations: [Expectation]
    /// Mistakes found reading this test: the test fails with them and is not run.
    public var problems: [Diagnostic] = []
}

/// An expected alert. Fields left out are not checked.
public struct Expectation: Sendable {
    public var rule: String
    public var group: [String: String?]?
    /// `last_at`: the event time that met the condition.
    public var at: Int64?
    public var count: Int?
    public var events: [String]?
    public var suppressed: Int?
    public var summary: String?
    public var location: SourceLocation

    /// Whether `alert` satisfies every field this expectation gives.
    public func matches(_ alert: Alert) -> Bool {
        guard alert.ruleID == rule else { return false }
        if let group {
            let actual = Dictionary(alert.group.map { ($0.field, $0.value) }, uniquingKeysWith: { first, _ in first })
            guard actual.count == group.count,
                group.allSatisfy({ key, value in actual[key].map { $0 == value } ?? false })
            else { return false }
        }
        if let at, alert.lastAt != at { return false }
        if let count, alert.count != count { return false }
        if let events, alert.eventIDs != events { return false }
        if let suppressed, alert.suppressed != suppressed { return false }
        if let summary, alert.summary != summary { return false }
        return true
    }

    /// The expectation as text, for diffs.
    public var description: String {
        var parts = ["rule \(rule)"]
        if let group {
            parts.append(
                "group {"
                    + group.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value ?? "null")" }.joined(
                        separator: ", ") + "}")
        }
        if let at { parts.append("at \(UTCTime.iso8601(at))") }
        if let count { parts.append("count \(count)") }
        if let events { parts.append("events [\(events.joined(separator: ", "))]") }
        if let suppressed { parts.append("suppressed \(suppressed)") }
        if let summary { parts.append("summary \"\(summary)\"") }
        return parts.joined(separator: ", ")
    }
}
