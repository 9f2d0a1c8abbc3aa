public import AuditwatchCore
public import AuditwatchSources

/// The lines a run ends with on standard error: what was read, the alerts by level, and the
/// notes on what the engine met (repaired lines, suppressions, limits, undocumented types).
public enum RunReport {
    public static func lines(reader: EventReader, alertsByLevel: [RuleLevel: Int], engine: DetectionEngine) -> [String]
    {
        var lines: [String] = []
        let total = alertsByLevel.values.reduce(0, +)
        let levels = RuleLevel.allCases.reversed().compactMap { level in
            alertsByLevel[level].map { "\(level.rawValue) \($0)" }
        }
        var summary =
            "auditwatch: \(reader.eventCount) event\(reader.eventCount == 1 ? "" : "s") read, \(reader.skippedCount) skipped, \(total) alert\(total == 1 ? "" : "s")"
        if !levels.isEmpty { summary += " (" + levels.joined(separator: ", ") + ")" }
        lines.append(summary)
        if reader.repairedCount > 0 {
            lines.append(
                "auditwatch: note: \(reader.repairedCount) line\(reader.repairedCount == 1 ? "" : "s") had invalid UTF-8, replaced with U+FFFD and kept"
            )
        }
        let counters = engine.counters
        if counters.lateEvents > 0 || counters.evictions > 0 || counters.suppressed > 0 {
            lines.append(
                "auditwatch: \(counters.suppressed) alerts folded by suppress, \(counters.lateEvents) late events (not correlated), \(counters.evictions) correlation groups evicted by the cap"
            )
        }
        let limits = engine.limitHits.filter { $0.count > 0 && $0.limit != "correlation_groups" }
        if !limits.isEmpty {
            // Once per run, as the service logs each limit once (README, Limits).
            lines.append(
                "auditwatch: engine limits reached: "
                    + limits.map { "\($0.limit) \($0.count) times" }.joined(separator: ", ")
                    + " (see Limits in the README)")
        }
        if !engine.undocumentedTypes.isEmpty {
            let listed = engine.undocumentedTypes.sorted {
                $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
            }
            .prefix(10).map { "\(AlertFormatter.printable($0.key)) (\($0.value))" }
            lines.append(
                "auditwatch: note: \(engine.undocumentedTypes.values.reduce(0, +)) events of \(engine.undocumentedTypes.count) type\(engine.undocumentedTypes.count == 1 ? "" : "s") the API does not document were evaluated: \(listed.joined(separator: ", "))"
            )
        }
        return lines
    }
}
