/// A Sigma correlation rule (plus auditwatch's `new_value`): a condition over the matches of
/// base rules, per group, within a timespan.
public struct CorrelationRule: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case eventCount = "event_count"
        case valueCount = "value_count"
        case temporal
        case temporalOrdered = "temporal_ordered"
        /// auditwatch extension: the first time a value is seen for a group, after a learning period.
        case newValue = "new_value"
    }

    public var id: String
    public var name: String?
    public var title: String
    public var level: RuleLevel
    /// Whether the document sets `level`. In Sigma only a chain's outermost correlation has one,
    /// so a referenced correlation with its own level is a detection in its own right and alerts.
    public var hasLevel = false
    public var description: String?
    public var tags: [String] = []
    public var references: [String] = []
    public var falsePositives: [String] = []
    public var kind: Kind
    /// Referenced base rules, by id or name.
    public var rules: [Located<String>]
    public var groupBy: [String]
    /// alias name → (base rule id or name → field path)
    public var aliases: [String: [String: String]]
    public var timespan: Int64
    public var condition: CountCondition?
    /// `value_count` and `new_value`: the field(s) whose values are counted or remembered.
    public var fields: [String]
    public var generate: Bool
    /// `new_value`: event-time history needed before any alert.
    public var learning: Int64
    public var summary: String?
    /// Where the `summary:` key is (template errors point at it).
    public var summaryLocation: SourceLocation?
    public var suppress: Int64?
    public var notify: [String]?
    /// Where the `notify:` key is (unknown notifiers point at it).
    public var notifyLocation: SourceLocation?
    public var enabled: Bool = true
    public var location: SourceLocation
}

/// `condition: {gte: 5}`, or a range such as `{gt: 100, lte: 200}`.
public struct CountCondition: Sendable, Hashable, Codable {
    public var bounds: [Bound]

    public struct Bound: Sendable, Hashable, Codable {
        public var comparison: CountComparison
        public var value: Int64
    }

    public func holds(_ count: Int) -> Bool {
        bounds.allSatisfy { $0.comparison.holds(Int64(count), $0.value) }
    }

    /// Only lower bounds: once true in a window, more events cannot make it false, so it can be
    /// decided at the event that crosses it. Others are decided when the window closes.
    public var isMonotone: Bool { bounds.allSatisfy(\.comparison.isLowerBound) }

    public var description: String {
        bounds.map { "\($0.comparison.rawValue) \($0.value)" }.joined(separator: " and ")
    }
}

/// The comparisons of a correlation's `condition`.
public enum CountComparison: String, Sendable, Hashable, Codable, CaseIterable {
    case gt, gte, lt, lte, eq, neq

    public func holds(_ count: Int64, _ bound: Int64) -> Bool {
        switch self {
        case .gt: return count > bound
        case .gte: return count >= bound
        case .lt: return count < bound
        case .lte: return count <= bound
        case .eq: return count == bound
        case .neq: return count != bound
        }
    }

    /// `gt` and `gte`: more matches can only keep them true.
    public var isLowerBound: Bool { self == .gt || self == .gte }

    /// The fewest matches a group must hold to tell this bound apart (`gte 5`: 5; `gt 5`: 6).
    func matchesNeeded(_ bound: Int64) -> Int64 { self == .gte || self == .lt ? bound : bound + 1 }
}
