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
        let head = head, count = count
        // Compared in place through the buffer, field by field: copying whole matches out of
        // the ring (six reference-counted fields each) is what would cost here.
        storage.withUnsafeMutableBufferPointer { ring in
            let capacity = ring.count
            @inline(__always) func slot(_ offset: Int) -> Int {
                let position = head + offset
                return position < capacity ? position : position - capacity
            }
            var position = count
            while position > 0, PendingQueue.precedes(match, ring[slot(position - 1)]) { position -= 1 }
            ring[slot(count)] = match
            // Out of order (rare): move it back past the later ones.
            var current = count
            while current > position {
                ring.swapAt(slot(current), slot(current - 1))
                current -= 1
            }
        }
        self.count += 1
    }

    /// `match.precedes(other)`, reading only the fields it needs.
    @inline(__always)
    private static func precedes(_ match: borrowing PendingMatch, _ other: borrowing PendingMatch) -> Bool {
        if match.time != other.time { return match.time < other.time }
        if match.eventID != other.eventID { return match.eventID < other.eventID }
        return match.position < other.position
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
