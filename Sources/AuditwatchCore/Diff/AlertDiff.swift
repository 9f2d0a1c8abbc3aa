import AuditwatchCore

/// The alerts a rule change adds, removes or changes over one event log.
///
/// Alerts pair up by id first (same rule, group and events). A correlation's alerts then pair
/// by rule and group, oldest first: a threshold change moves when a group fires and how many
/// events it counts, and a reviewer wants to read that as one changed alert, not a removed and
/// an added one.
public struct AlertDiff: Sendable {
    public enum Change: String, Sendable {
        case added = "+", removed = "-", changed = "~"
    }

    public struct Entry: Sendable {
        public var change: Change
        /// The alert before the change (nil when added).
        public var before: Alert?
        /// The alert after the change (nil when removed).
        public var after: Alert?
        /// The alert this entry is about: the new one, or the old one when removed.
        public var alert: Alert { after ?? before! }
        /// What differs, for changed alerts (`count 3 → 2`).
        public var differences: [String] {
            guard let before, let after else { return [] }
            return AlertDiff.differences(before, after)
        }
    }

    /// The log the alerts came from (a fixture path, or a test's inline events).
    public var log: String
    public var beforeCount: Int
    public var afterCount: Int
    public var entries: [Entry]

    /// Compares `before` and `after`; `correlations` are the rule ids whose alerts pair by group.
    public init(log: String, before: [Alert], after: [Alert], correlations: Set<String>) {
        self.log = log
        beforeCount = before.count
        afterCount = after.count
        var remainingBefore = before
        var remainingAfter: [Alert] = []
        var entries: [Entry] = []
        for alert in after {
            if let index = remainingBefore.firstIndex(where: { $0.id == alert.id }) {
                let old = remainingBefore.remove(at: index)
                if old != alert { entries.append(Entry(change: .changed, before: old, after: alert)) }
            } else {
                remainingAfter.append(alert)
            }
        }
        var added: [Alert] = []
        for alert in remainingAfter {
            let key = AlertDiff.groupKey(alert)
            if correlations.contains(alert.ruleID),
                let index = remainingBefore.firstIndex(where: { AlertDiff.groupKey($0) == key })
            {
                entries.append(Entry(change: .changed, before: remainingBefore.remove(at: index), after: alert))
            } else {
                added.append(alert)
            }
        }
        entries += added.map { Entry(change: .added, before: nil, after: $0) }
        entries += remainingBefore.map { Entry(change: .removed, before: $0, after: nil) }
        self.entries = entries.sorted { ($0.alert.ruleID, $0.alert.lastAt) < ($1.alert.ruleID, $1.alert.lastAt) }
    }

    public func count(_ change: Change) -> Int { entries.filter { $0.change == change }.count }

    private static func groupKey(_ alert: Alert) -> String {
        GroupKey.join([alert.ruleID] + alert.group.flatMap { [$0.field, $0.value] })
    }

    /// What changed between two versions of the same alert, one item per field.
    public static func differences(_ old: Alert, _ new: Alert) -> [String] {
        var parts: [String] = []
        if old.level != new.level { parts.append("level \(old.level.rawValue) → \(new.level.rawValue)") }
        if old.count != new.count { parts.append("count \(old.count) → \(new.count)") }
        if old.lastAt != new.lastAt {
            parts.append("at \(UTCTime.iso8601(old.lastAt)) → \(UTCTime.iso8601(new.lastAt))")
        }
        if old.firstAt != new.firstAt {
            parts.append("first_at \(UTCTime.iso8601(old.firstAt)) → \(UTCTime.iso8601(new.firstAt))")
        }
        if old.eventIDs != new.eventIDs {
            let gained = new.eventIDs.filter { !old.eventIDs.contains($0) }
            let lost = old.eventIDs.filter { !new.eventIDs.contains($0) }
            var text = "events"
            if !gained.isEmpty { text += " +" + gained.joined(separator: " +") }
            if !lost.isEmpty { text += " -" + lost.joined(separator: " -") }
            parts.append(text == "events" ? "events reordered" : text)
        }
        if old.summary != new.summary { parts.append("summary was \"\(AlertFormatter.printable(old.summary))\"") }
        if old.ruleTitle != new.ruleTitle { parts.append("title was \"\(AlertFormatter.printable(old.ruleTitle))\"") }
        if old.tags != new.tags { parts.append("tags \(old.tags) → \(new.tags)") }
        if old.suppressed != new.suppressed { parts.append("suppressed \(old.suppressed) → \(new.suppressed)") }
        return parts
    }
}
