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
    /// The group key (case-folded) and the group-by values as the event has them.
    public var key: String
    public var values: [String?]
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

    private enum CodingKeys: String, CodingKey {
        case correlation, slot, key, values, time, eventID, value, eventTexts, position
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
