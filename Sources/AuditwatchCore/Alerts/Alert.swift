/// A rule firing: what `run` prints and notifiers send.
public struct Alert: Sendable, Equatable, Codable {
    /// Deterministic: the same rule, group and events give the same id on every run.
    public var id: String
    public var ruleID: String
    public var ruleTitle: String
    public var level: RuleLevel
    public var tags: [String]
    /// The group-by fields and values; empty for single-event rules.
    public var group: [GroupValue]
    /// Events behind the alert.
    public var count: Int
    public var firstAt: Int64
    public var lastAt: Int64
    /// The ids of the events behind the alert, oldest first.
    public var eventIDs: [String]
    public var summary: String
    /// For a follow-up of `suppress`: how many alerts were folded ("and N more"); 0 otherwise.
    public var suppressed: Int = 0
    /// The organization (config source name) the events came from, when auditwatch watches several.
    public var source: String?

    /// This alert as raised for `source`: named, and with an id that cannot collide across organizations.
    public func fromSource(_ name: String) -> Alert {
        var copy = self
        copy.source = name
        copy.id = "aw_" + StableDigest.hex(name + "\u{0}" + id)
        return copy
    }

    public init(
        id: String, ruleID: String, ruleTitle: String, level: RuleLevel, tags: [String], group: [GroupValue],
        count: Int, firstAt: Int64, lastAt: Int64, eventIDs: [String], summary: String, suppressed: Int = 0,
        source: String? = nil
    ) {
        self.suppressed = suppressed
        self.source = source
        self.id = id
        self.ruleID = ruleID
        self.ruleTitle = ruleTitle
        self.level = level
        self.tags = tags
        self.group = group
        self.count = count
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.eventIDs = eventIDs
        self.summary = summary
    }
}

/// One group-by field of an alert and its value (nil: the event did not carry the field).
public struct GroupValue: Sendable, Hashable, Codable {
    public var field: String
    public var value: String?

    public init(field: String, value: String?) {
        self.field = field
        self.value = value
    }
}
