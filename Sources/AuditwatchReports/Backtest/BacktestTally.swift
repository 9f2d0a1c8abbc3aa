public import AuditwatchCore

/// What a backtest raised, counted as it streams by: memory grows with rules, days and distinct
/// groups (bounded per rule), never with the number of events or alerts.
public struct BacktestTally: Sendable {
    /// The distinct groups counted per rule; alerts of groups seen after that are counted together,
    /// and the report says how many.
    public static let groupLimit = 10_000

    public struct RuleTally: Sendable {
        public var ruleID: String
        public var title: String
        public var level: RuleLevel
        public var alerts = 0
        public var events = 0
        /// Alerts per UTC day number (days since 1970-01-01).
        public var perDay: [Int64: Int] = [:]
        public var groups: [String: Int] = [:]
        /// Alerts whose group arrived after `groupLimit` distinct ones.
        public var overflowAlerts = 0
        public var grouped = false
        public var lastAt: Int64 = .min
    }

    public private(set) var rules: [String: RuleTally] = [:]
    public private(set) var eventCount = 0
    public private(set) var firstEventAt: Int64?
    public private(set) var lastEventAt: Int64?

    public init() {}

    /// Notes an event's time, so days without alerts still show in the range.
    public mutating func observeEvent(at seconds: Int64) {
        eventCount += 1
        if firstEventAt.map({ seconds < $0 }) ?? true { firstEventAt = seconds }
        if lastEventAt.map({ seconds > $0 }) ?? true { lastEventAt = seconds }
    }

    public mutating func observe(_ alert: Alert) {
        var tally =
            rules[alert.ruleID] ?? RuleTally(ruleID: alert.ruleID, title: alert.ruleTitle, level: alert.level)
        tally.alerts += 1
        tally.events += alert.count
        tally.perDay[ReportDay.number(alert.lastAt), default: 0] += 1
        tally.lastAt = max(tally.lastAt, alert.lastAt)
        if !alert.group.isEmpty {
            tally.grouped = true
            let key = Self.groupLabel(alert.group)
            if tally.groups[key] != nil || tally.groups.count < Self.groupLimit {
                tally.groups[key, default: 0] += 1
            } else {
                tally.overflowAlerts += 1
            }
        }
        rules[alert.ruleID] = tally
    }

    /// `actor.email=dana@acme.example, ip=203.0.113.9` (a missing field shows as `(missing)`).
    static func groupLabel(_ group: [GroupValue]) -> String {
        group.map { "\($0.field)=\($0.value ?? "(missing)")" }.joined(separator: ", ")
    }

    /// Rules by alert count, most first; ties by rule id so the report is deterministic.
    public var rulesByVolume: [RuleTally] {
        rules.values.sorted { ($0.alerts, $1.ruleID) > ($1.alerts, $0.ruleID) }
    }

    /// The first and last UTC day the report covers: the events' range, else the alerts'.
    public var dayRange: ClosedRange<Int64>? {
        var low = firstEventAt.map(ReportDay.number)
        var high = lastEventAt.map(ReportDay.number)
        for tally in rules.values {
            for day in tally.perDay.keys {
                low = min(low ?? day, day)
                high = max(high ?? day, day)
            }
        }
        guard let low, let high else { return nil }
        return low...high
    }
}
