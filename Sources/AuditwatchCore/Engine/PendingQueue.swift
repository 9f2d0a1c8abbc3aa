/// The matches waiting for the watermark, in processing order: a ring buffer, because matches
/// mostly arrive in order (appended at the back) and always leave from the front; one that
/// arrives out of order is moved back to its place.
struct PendingQueue: Sendable {
    private var storage: [PendingMatch] = []
    /// Index in `storage` of the first waiting match.
    private var head = 0
    private(set) var count = 0

    init(_ matches: [PendingMatch] = []) {
        storage = matches.sorted { $0.precedes($1) }
        count = storage.count
    }

    var isEmpty: Bool { count == 0 }

    /// The first match's time, if any.
    var firstTime: Int64? { count == 0 ? nil : storage[head].time }

    /// The waiting matches in order (for the saved state).
    var elements: [PendingMatch] { (0..<count).map { storage[slot($0)] } }

    private func slot(_ offset: Int) -> Int {
        let position = head + offset
        return position < storage.count ? position : position - storage.count
    }

    /// Adds `match` at its place in processing order.
    mutating func insert(_ match: consuming PendingMatch) {
        if count == storage.count { grow() }
        // Compared in place, field by field: copying whole matches out of the ring is what
        // would cost here.
        var position = count
        while position > 0, PendingQueue.precedes(match, storage, slot(position - 1)) { position -= 1 }
        storage[slot(count)] = match
        // Out of order (rare): move it back past the later ones.
        var current = count
        while current > position {
            storage.swapAt(slot(current), slot(current - 1))
            current -= 1
        }
        count += 1
    }

    /// `match.precedes(storage[index])`, reading only the fields it needs.
    private static func precedes(_ match: borrowing PendingMatch, _ storage: [PendingMatch], _ index: Int) -> Bool {
        let time = storage[index].time
        if match.time != time { return match.time < time }
        let eventID = storage[index].eventID
        if match.eventID != eventID { return match.eventID < eventID }
        return match.position < storage[index].position
    }

    /// Takes the first match out (moved, not copied).
    mutating func removeFirst() -> PendingMatch {
        var match = PendingQueue.vacant
        swap(&match, &storage[head])
        head = head + 1 == storage.count ? 0 : head + 1
        count -= 1
        if count == 0 { head = 0 }
        return match
    }

    private mutating func grow() {
        var bigger = elements
        let capacity = max(16, storage.count * 2)
        bigger.reserveCapacity(capacity)
        while bigger.count < capacity { bigger.append(PendingQueue.vacant) }
        storage = bigger
        head = 0
    }

    /// What fills a free slot (owns no storage).
    private static let vacant = PendingMatch(
        correlation: "", slot: 0, key: "", values: [], time: 0, eventID: "", value: nil, eventTexts: nil, position: 0)
}
