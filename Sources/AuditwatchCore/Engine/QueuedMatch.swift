/// A waiting match as `PendingQueue` holds it: 80 bytes where a `PendingMatch` takes 120 (its
/// correlation is a number, not a string; slot and position are 32-bit; the group values and
/// the event texts share one array, which is no array at all in the usual case of a single value
/// equal to the key and no texts, and is the event texts' own array when there are only texts).
struct QueuedMatch: Sendable {
    var time: Int64
    var key: String
    var eventID: String
    var value: String?
    /// The stored group values, then the event texts.
    var payload: [String?]
    /// The correlation's index in the running rule set, or, below 0, a queue-local number for a
    /// match whose correlation is not resolved (`PendingMatch.index` -1).
    var correlation: Int32
    var slot: Int32
    var position: Int32
    /// Bit 0: whether there are event texts (nil and empty differ); above it: 0 when the group
    /// values are just the key, else the number of stored values plus one.
    var shape: Int32
}

// The initializers live in an extension so the memberwise one stays, and they end in it: built
// field by field, `self` was copied whole out of the initializer and the original destroyed.
extension QueuedMatch {
    init(_ match: consuming PendingMatch, correlation code: Int32) {
        self.init(
            time: match.time, key: match.key, eventID: match.eventID, value: match.value,
            storedValues: match.storedValues, valuesAreKey: match.valuesAreKey, eventTexts: match.eventTexts,
            correlation: code, slot: match.slot, position: match.position)
    }

    /// A match as the engine makes it (no `PendingMatch` in between); the fields as `PendingMatch`'s.
    init(
        time: Int64, key: String, eventID: String, value: String?, storedValues stored: [String?],
        valuesAreKey: Bool, eventTexts texts: [String?]?, correlation code: Int32, slot: Int, position: Int
    ) {
        let values: Int32 = valuesAreKey ? 0 : Int32(truncatingIfNeeded: stored.count) + 1
        self.init(
            time: time, key: key, eventID: eventID, value: value,
            payload: stored.isEmpty ? texts ?? [] : stored + (texts ?? []), correlation: code,
            slot: Int32(truncatingIfNeeded: slot), position: Int32(truncatingIfNeeded: position),
            shape: values << 1 | (texts == nil ? 0 : 1))
    }

    /// Whether the group-by values are just the key (`PendingMatch.valuesAreKey`).
    var valuesAreKey: Bool { shape >> 1 == 0 }

    /// As `PendingMatch.storedValues`.
    var storedValues: [String?] {
        let values = Int(shape >> 1)
        return values > 1 ? Array(payload[..<(values - 1)]) : []
    }

    /// As `PendingMatch.eventTexts`: the payload itself when no group values are stored.
    var eventTexts: [String?]? {
        if shape & 1 == 0 { return nil }
        let values = Int(shape >> 1)
        return values > 1 ? Array(payload[(values - 1)...]) : payload
    }

    /// What the match adds to its group.
    var entry: GroupState.Entry {
        GroupState.Entry(time: time, eventID: eventID, slot: Int(slot), value: value)
    }

    /// The match again, for the engine (`index`) and the saved state (`correlation`).
    consuming func pendingMatch(correlation name: String, index: Int) -> PendingMatch {
        PendingMatch(
            correlation: name, slot: Int(slot), key: key, storedValues: storedValues, valuesAreKey: valuesAreKey,
            time: time, eventID: eventID, value: value, eventTexts: eventTexts, position: Int(position), index: index)
    }

    /// What fills a free slot (owns no storage).
    static let vacant = QueuedMatch(
        time: 0, key: "", eventID: "", value: nil, storedValues: [], valuesAreKey: true, eventTexts: nil,
        correlation: 0, slot: 0, position: 0)
}
