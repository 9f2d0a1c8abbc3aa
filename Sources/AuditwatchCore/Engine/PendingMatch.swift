/// A base-rule match waiting for the watermark before it enters its correlation.
///
/// Correlations see matches in event-time order, whatever order the events arrived in: a match
/// waits here until no event that is still on time can sort before it (its time is below the
/// watermark), and matches leave in `(time, event id, position)` order. Everything a later
/// alert needs is read from the event when it arrives, so the event itself is not kept, and the
/// value is saved with the engine state (a restart loses no waiting match).
public struct PendingMatch: Codable, Sendable, Equatable {
    /// The correlation's id (stable across reloads, unlike its index).
    public var correlation: String
    public var slot: Int
    /// The group key (case-folded).
    public var key: String
    /// The group-by values as the event has them, except that a single value equal to the key
    /// (already folded: the usual case) is not stored twice: then `storedValues` is empty and
    /// `valuesAreKey` set, which saves an array per match. `values` reads them either way.
    var storedValues: [String?]
    var valuesAreKey: Bool
    public var time: Int64
    public var eventID: String
    /// The value counted by `value_count` / remembered by `new_value`.
    public var value: String?
    /// Texts of the event fields the correlation's summary reads (`SummaryTemplate.eventPaths`).
    public var eventTexts: [String?]?
    /// Position among the matches of the same event: keeps their order as fed.
    public var position: Int
    /// The correlation's index in the running rule set (-1: not resolved); not saved.
    var index = -1

    public init(
        correlation: String, slot: Int, key: String, values: [String?], time: Int64, eventID: String,
        value: String?, eventTexts: [String?]?, position: Int
    ) {
        self.correlation = correlation
        self.slot = slot
        self.key = key
        valuesAreKey = values.count == 1 && values[0] == key
        storedValues = valuesAreKey ? [] : values
        self.time = time
        self.eventID = eventID
        self.value = value
        self.eventTexts = eventTexts
        self.position = position
    }

    /// A match whose one group value is its key (no array is made for it).
    init(
        correlation: String, slot: Int, key: String, time: Int64, eventID: String, value: String?,
        eventTexts: [String?]?, position: Int, index: Int
    ) {
        self.correlation = correlation
        self.slot = slot
        self.key = key
        storedValues = []
        valuesAreKey = true
        self.time = time
        self.eventID = eventID
        self.value = value
        self.eventTexts = eventTexts
        self.position = position
        self.index = index
    }

    /// A match exactly as stored (the queue's compact form read back).
    init(
        correlation: String, slot: Int, key: String, storedValues: [String?], valuesAreKey: Bool, time: Int64,
        eventID: String, value: String?, eventTexts: [String?]?, position: Int, index: Int
    ) {
        self.correlation = correlation
        self.slot = slot
        self.key = key
        self.storedValues = storedValues
        self.valuesAreKey = valuesAreKey
        self.time = time
        self.eventID = eventID
        self.value = value
        self.eventTexts = eventTexts
        self.position = position
        self.index = index
    }

    /// The group-by values as the event has them.
    public var values: [String?] {
        get { valuesAreKey ? [key] : storedValues }
        set {
            valuesAreKey = newValue.count == 1 && newValue[0] == key
            storedValues = valuesAreKey ? [] : newValue
        }
    }

    private enum CodingKeys: String, CodingKey {
        case correlation, slot, key, values, time, eventID, value, eventTexts, position
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            correlation: try container.decode(String.self, forKey: .correlation),
            slot: try container.decode(Int.self, forKey: .slot), key: try container.decode(String.self, forKey: .key),
            values: try container.decode([String?].self, forKey: .values),
            time: try container.decode(Int64.self, forKey: .time),
            eventID: try container.decode(String.self, forKey: .eventID),
            value: try container.decodeIfPresent(String.self, forKey: .value),
            eventTexts: try container.decodeIfPresent([String?].self, forKey: .eventTexts),
            position: try container.decode(Int.self, forKey: .position))
    }

    /// Saved with every group value, as before the key-as-value form (older versions read it).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(correlation, forKey: .correlation)
        try container.encode(slot, forKey: .slot)
        try container.encode(key, forKey: .key)
        try container.encode(values, forKey: .values)
        try container.encode(time, forKey: .time)
        try container.encode(eventID, forKey: .eventID)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(eventTexts, forKey: .eventTexts)
        try container.encode(position, forKey: .position)
    }

    public static func == (lhs: PendingMatch, rhs: PendingMatch) -> Bool {
        lhs.correlation == rhs.correlation && lhs.slot == rhs.slot && lhs.key == rhs.key && lhs.values == rhs.values
            && lhs.time == rhs.time && lhs.eventID == rhs.eventID && lhs.value == rhs.value
            && lhs.eventTexts == rhs.eventTexts
            && lhs.position == rhs.position
    }

    /// Processing order: event time, then event id, then position within the event.
    func precedes(_ other: PendingMatch) -> Bool {
        if time != other.time { return time < other.time }
        if eventID != other.eventID { return eventID < other.eventID }
        return position < other.position
    }

    var entry: GroupState.Entry { GroupState.Entry(time: time, eventID: eventID, slot: slot, value: value) }
}
