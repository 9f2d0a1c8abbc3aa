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

    init(_ match: consuming PendingMatch, correlation code: Int32) {
        let texts = match.eventTexts
        let stored = match.storedValues
        time = match.time
        key = match.key
        eventID = match.eventID
        value = match.value
        if stored.isEmpty {
            payload = texts ?? []
        } else {
            payload = stored + (texts ?? [])
        }
        correlation = code
        slot = Int32(truncatingIfNeeded: match.slot)
        position = Int32(truncatingIfNeeded: match.position)
        let values: Int32 = match.valuesAreKey ? 0 : Int32(truncatingIfNeeded: stored.count) + 1
        shape = values << 1 | (texts == nil ? 0 : 1)
    }

    /// The match again, for the engine (`index`) and the saved state (`correlation`).
    consuming func pendingMatch(correlation name: String, index: Int) -> PendingMatch {
        let values = Int(shape >> 1)
        let stored = values > 1 ? Array(payload[..<(values - 1)]) : []
        let texts: [String?]?
        if shape & 1 == 0 {
            texts = nil
        } else {
            texts = values > 1 ? Array(payload[(values - 1)...]) : payload
        }
        return PendingMatch(
            correlation: name, slot: Int(slot), key: key, storedValues: stored, valuesAreKey: values == 0, time: time,
            eventID: eventID, value: value, eventTexts: texts, position: Int(position), index: index)
    }

    /// What fills a free slot (owns no storage).
    static let vacant = QueuedMatch(
        PendingMatch(
            correlation: "", slot: 0, key: "", values: [], time: 0, eventID: "", value: nil, eventTexts: nil,
            position: 0),
        correlation: 0)
}
