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
    /// Matches waiting for the watermark before they enter their correlations, in order.
    public var pending: [PendingMatch] = []
    /// A source's word that it delivered every event before this time (`advance(to:)`):
    /// waiting matches are released in a quiet period too.
    public var completeUntil: Int64?

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case maxSeen, correlations, suppressions, nextRelease, counters, pending, completeUntil
    }

    /// Reads state saved by this and earlier versions (which had no `pending`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxSeen = try container.decodeIfPresent(Int64.self, forKey: .maxSeen)
        correlations = try container.decodeIfPresent([String: CorrelationState].self, forKey: .correlations) ?? [:]
        suppressions = try container.decodeIfPresent([String: Suppression].self, forKey: .suppressions) ?? [:]
        nextRelease = try container.decodeIfPresent(Int64.self, forKey: .nextRelease)
        counters = try container.decodeIfPresent(EngineCounters.self, forKey: .counters) ?? EngineCounters()
        pending = try container.decodeIfPresent([PendingMatch].self, forKey: .pending) ?? []
        completeUntil = try container.decodeIfPresent(Int64.self, forKey: .completeUntil)
    }
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

    // Four stored fields, 32 bytes: the struct sits in every group's table slot.

    /// Base-rule matches, oldest first.
    public var entries: [Entry] = []
    /// The group-by values, for the alert. Empty when the correlation groups by one field and
    /// that value is the group's key itself (the usual case): a million groups then do not keep
    /// a million one-element arrays.
    public var values: [String?] = []
    /// For conditions decided at window end: where the open window starts.
    public var windowStart: Int64?
    /// The condition held at the last evaluation and an alert was raised: no new alert until it
    /// stops holding (the group re-arms).
    public var firing = false

    /// The newest match's time (entries are kept in time order), 0 for a group left empty: what
    /// the group cap evicts by. Derived rather than stored; still written to saved state.
    public var lastUpdate: Int64 { entries.last?.time ?? 0 }

    public init(entries: [Entry] = [], values: [String?] = [], windowStart: Int64? = nil, firing: Bool = false) {
        self.entries = entries
        self.values = values
        self.windowStart = windowStart
        self.firing = firing
    }

    private enum CodingKeys: String, CodingKey { case entries, firing, windowStart, lastUpdate, values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entries = try container.decode([Entry].self, forKey: .entries)
        firing = try container.decode(Bool.self, forKey: .firing)
        windowStart = try container.decodeIfPresent(Int64.self, forKey: .windowStart)
        values = try container.decode([String?].self, forKey: .values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
        try container.encode(firing, forKey: .firing)
        try container.encodeIfPresent(windowStart, forKey: .windowStart)
        try container.encode(lastUpdate, forKey: .lastUpdate)
        try container.encode(values, forKey: .values)
    }

    /// `values` as stored for a group keyed `key`: empty when it is just `[key]`.
    static func storedValues(_ values: [String?], key: String) -> [String?] {
        values.count == 1 && values[0] == key ? [] : values
    }

    /// The group-by values of a group keyed `key` whose correlation groups by `fields` fields.
    func values(key: String, fields: Int) -> [String?] {
        values.isEmpty && fields == 1 ? [key] : values
    }
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
    /// Matches dropped, oldest first, because a group held `maxEntriesPerGroup` of them.
    public var entriesDropped = 0
    /// `new_value` values forgotten, oldest first, because a group knew `maxValuesPerGroup`.
    public var valuesForgotten = 0
    /// Matches that arrived after a source said it was complete past their time (`advance`):
    /// correlated where they belong, but without the arrival-order guarantee.
    public var reorderedLate = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case events, lateEvents, evictions, suppressed, undocumentedTypes, entriesDropped, valuesForgotten,
            reorderedLate
    }

    /// Reads counters saved by this and earlier versions (which lacked the newer counters).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        events = try container.decodeIfPresent(Int.self, forKey: .events) ?? 0
        lateEvents = try container.decodeIfPresent(Int.self, forKey: .lateEvents) ?? 0
        evictions = try container.decodeIfPresent(Int.self, forKey: .evictions) ?? 0
        suppressed = try container.decodeIfPresent(Int.self, forKey: .suppressed) ?? 0
        undocumentedTypes = try container.decodeIfPresent([String: Int].self, forKey: .undocumentedTypes) ?? [:]
        entriesDropped = try container.decodeIfPresent(Int.self, forKey: .entriesDropped) ?? 0
        valuesForgotten = try container.decodeIfPresent(Int.self, forKey: .valuesForgotten) ?? 0
        reorderedLate = try container.decodeIfPresent(Int.self, forKey: .reorderedLate) ?? 0
    }
}
