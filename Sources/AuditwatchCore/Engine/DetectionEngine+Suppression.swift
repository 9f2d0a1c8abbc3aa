extension DetectionEngine {
    /// Passes `alert` through its rule's suppression: the first alert of a group goes out and
    /// opens a period; later ones within it are folded (counted) into a follow-up. Returns what
    /// goes out now: nothing, the alert, or the follow-up of an ended period and then the alert.
    mutating func suppress(_ alert: Alert, rule period: Int64?) -> [Alert] {
        guard let period else { return [alert] }
        let key = alert.ruleID + "\u{1E}" + GroupKey.of(alert.group)
        var out: [Alert] = []
        if let ended = core.suppressions[key], alert.lastAt >= ended.until {
            core.suppressions[key] = nil
            if let followUp = followUp(ended) { out.append(followUp) }
        }
        if var open = core.suppressions[key], alert.lastAt < open.until {
            open.folded += 1
            open.firstFolded = min(open.firstFolded ?? alert.firstAt, alert.firstAt)
            open.lastFolded = max(open.lastFolded ?? alert.lastAt, alert.lastAt)
            // Keep the first hundred event ids: enough to investigate, bounded under a flood.
            for id in alert.eventIDs where open.foldedEventIDs.count < 100 { open.foldedEventIDs.append(id) }
            core.suppressions[key] = open
            core.counters.suppressed += 1
            return out
        }
        core.suppressions[key] = Suppression(
            ruleID: alert.ruleID, until: alert.lastAt + period, group: alert.group, summary: alert.summary)
        core.nextRelease = min(core.nextRelease ?? alert.lastAt + period, alert.lastAt + period)
        return out + [alert]
    }

    /// Follow-ups ("and N more") for suppression periods that ended by `limit`.
    mutating func releaseSuppressions(upTo limit: Int64) -> [Alert] {
        guard let next = core.nextRelease, next <= limit else { return [] }
        let ended = core.suppressions.filter { $0.value.until <= limit }
        core.nextRelease = core.suppressions.values.filter { $0.until > limit }.map(\.until).min()
        guard !ended.isEmpty else { return [] }
        var alerts: [Alert] = []
        for (key, entry) in ended.sorted(by: { ($0.value.until, $0.key) < ($1.value.until, $1.key) }) {
            core.suppressions[key] = nil
            if let followUp = followUp(entry) { alerts.append(followUp) }
        }
        return alerts
    }

    /// "… and N more": the alerts an ended period folded, or nil when it folded none.
    private func followUp(_ entry: Suppression) -> Alert? {
        guard entry.folded > 0, let first = entry.firstFolded, let last = entry.lastFolded else { return nil }
        let template = rulePresentation(entry.ruleID)
        return Alert(
            id: AlertID.make(
                ruleID: entry.ruleID, group: entry.group,
                anchorEventID: "suppressed:" + (entry.foldedEventIDs.first ?? String(first))),
            ruleID: entry.ruleID, ruleTitle: template.title, level: template.level, tags: template.tags,
            group: entry.group,
            count: entry.folded, firstAt: first, lastAt: last, eventIDs: entry.foldedEventIDs,
            summary:
                "\(entry.summary) — and \(entry.folded) more between \(UTCTime.iso8601(first)) and \(UTCTime.iso8601(last))",
            suppressed: entry.folded)
    }

    /// Title, level and tags of a rule or correlation by id.
    func rulePresentation(_ id: String) -> (title: String, level: RuleLevel, tags: [String]) {
        if let rule = ruleSet.rules.first(where: { $0.rule.id == id })?.rule {
            return (rule.title, rule.level, rule.tags)
        }
        if let rule = ruleSet.correlations.first(where: { $0.rule.id == id })?.rule {
            return (rule.title, rule.level, rule.tags)
        }
        return (id, .medium, [])
    }
}
