/// Everything the engine remembers between events, keyed by rule id so it can be saved, restored
/// after a restart, and kept for unchanged rules across a reload.
public struct EngineState: Codable, Sendable, Equatable {
    /// The newest `effective_at` seen.
    public var maxSeen: Int64?
    /// Per correlation id.
    public var correlations: [String: CorrelationState] = [:]
    /// Per rule id and group: the suppression in force.
    public var suppressions: [String: Suppression] = [:]
    /// The earliest suppression end, so most events skip the release pass.
    public var nextRelease: Int64?
    public var counters = EngineCounters()

    public init() {}
}

/// The groups of one correlation.
public struct CorrelationState: Codable, Sendable, Equatable {
    public var groups: [String: GroupState] = [:]
    /// `new_value`: per group, each value and when it was last seen.
    public var knownValues: [String: [String: Int64]] = [:]
    /// `new_value`: when the correlation first saw a match (the learning period starts there).
    public var learningStart: Int64?
    /// Window-end correlations: the earliest open window's end, so most events skip the pass.
    public var nextDecision: Int64?
    /// When old matches were last dropped (event time): eviction runs every quarter timespan.
    public var lastEviction: Int64?
}

/// One group's window.
public struct GroupState: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var time: Int64
        public var eventID: String
        public var slot: Int
        public var value: String?
    }

    /// Base-rule matches, oldest first.
    public var entries: [Entry] = []
    /// The condition held at the last evaluation and an alert was raised: no new alert until it
    /// stops holding (the group re-arms).
    public var firing = false
    /// For conditions decided at window end: where the open window starts.
    public var windowStart: Int64?
    public var lastUpdate: Int64 = 0
    /// The group-by values, for the alert.
    public var values: [String?] = []
}

/// Alerts folded into an earlier one (`suppress`).
public struct Suppression: Codable, Sendable, Equatable {
    public var ruleID: String
    public var until: Int64
    public var group: [GroupValue]
    public var folded: Int = 0
    public var firstFolded: Int64?
    public var lastFolded: Int64?
    public var foldedEventIDs: [String] = []
    public var summary: String
}

/// What the engine counts, for the run summary and metrics.
public struct EngineCounters: Codable, Sendable, Equatable {
    public var events = 0
    /// Events older than the watermark: evaluated by single-event rules, not by correlations.
    public var lateEvents = 0
    /// Groups dropped because a correlation hit its group cap.
    public var evictions = 0
    /// Alerts folded by `suppress`.
    public var suppressed = 0
    public var undocumentedTypes: [String: Int] = [:]
}

