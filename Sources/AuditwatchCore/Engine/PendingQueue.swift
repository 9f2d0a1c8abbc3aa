/// The matches waiting for the watermark, in processing order. Matches mostly arrive in order
/// (appended at the back) and always leave from the front; one that arrives out of order is
/// moved back to its place.
///
/// Held compactly in chunks of `chunkSize` (`PackedMatches`: 56-byte records, their strings as
/// bytes): memory follows the number waiting, not the most that ever waited, and a chunk is freed
/// as soon as the front passes it (a ring doubled to a million slots stayed at that size until
/// the process ended).
struct PendingQueue: Sendable {
    private var chunks: [PackedMatches] = []
    private var nextSerial = 0
    /// The strings last made again by `removeFirstQueued`, by chunk and reference: the matches of
    /// one event leave together and share them again (one event id string, not one per match).
    private var made: [(serial: Int, reference: UInt64, text: String)] = []
    private var nextMade = 0
    /// The chunk holding the first waiting match, and its offset there.
    private var firstChunk = 0
    private var head = 0
    private(set) var count = 0
    /// Correlation ids by `QueuedMatch.correlation`: at the correlation's index, or, for a match
    /// not resolved to one, in `unresolved` at `-1 - code`.
    private var names: [String] = []
    private var unresolved: [String] = []

    private static let shift = 10
    private static let chunkSize = 1 << shift

    init(_ matches: [PendingMatch] = []) {
        for match in matches.sorted(by: { $0.precedes($1) }) { insert(match) }
    }

    var isEmpty: Bool { count == 0 }

    /// The first match's time, if any.
    var firstTime: Int64? { count == 0 ? nil : chunks[firstChunk].records[head].time }

    /// The waiting matches in order (for the saved state).
    var elements: [PendingMatch] { (0..<count).map { match(at: $0) } }

    /// Chunk and offset of the match `offset` places from the front.
    @inline(__always)
    private func place(_ offset: Int) -> (chunk: Int, index: Int) {
        let absolute = head + offset
        return (firstChunk + absolute >> PendingQueue.shift, absolute & (PendingQueue.chunkSize - 1))
    }

    private func match(at offset: Int) -> PendingMatch {
        let (chunk, index) = place(offset)
        let queued = chunks[chunk].match(index)
        let code = queued.correlation
        return queued.pendingMatch(correlation: name(code), index: Int(max(-1, code)))
    }

    private func name(_ code: Int32) -> String {
        code >= 0 ? names[Int(code)] : unresolved[Int(-1 - code)]
    }

    /// The queue's number for `match`'s correlation.
    private mutating func code(_ match: borrowing PendingMatch) -> Int32 {
        if match.index >= 0 {
            if match.index >= names.count {
                names.append(contentsOf: repeatElement("", count: match.index + 1 - names.count))
            }
            if names[match.index].isEmpty { names[match.index] = match.correlation }
            return Int32(truncatingIfNeeded: match.index)
        }
        if let known = unresolved.firstIndex(of: match.correlation) { return Int32(-1 - known) }
        unresolved.append(match.correlation)
        return Int32(-unresolved.count)
    }

    /// Adds `match` at its place in processing order.
    mutating func insert(_ match: consuming PendingMatch) {
        let code = code(match)
        insert(queued: QueuedMatch(match, correlation: code))
    }

    /// Adds a match of correlation `name`, already in the queue's form with the correlation's
    /// index as its number (as the engine makes them: no `PendingMatch` in between).
    mutating func insert(_ match: consuming QueuedMatch, name: borrowing String) {
        let index = Int(match.correlation)
        if index >= names.count {
            names.append(contentsOf: repeatElement("", count: index + 1 - names.count))
        }
        if names[index].isEmpty { names[index] = copy name }
        insert(queued: match)
    }

    private mutating func insert(queued: consuming QueuedMatch) {
        let (chunk, _) = place(count)
        if chunk == chunks.count {
            chunks.append(PackedMatches(serial: nextSerial, capacity: PendingQueue.chunkSize))
            nextSerial += 1
        }
        var position = count
        while position > 0, precedes(queued, place(position - 1)) { position -= 1 }
        chunks[chunk].append(queued)
        if chunks[chunk].count == PendingQueue.chunkSize { chunks[chunk].trim() }
        count += 1
        // Out of order (rare): move it back past the later ones.
        var current = count - 1
        while current > position {
            let (later, laterIndex) = place(current)
            let (earlier, earlierIndex) = place(current - 1)
            if later == earlier {
                chunks[later].swapAt(laterIndex, earlierIndex)
            } else {
                // Strings are bytes of their chunk: across chunks the matches are packed again.
                let moved = chunks[later].match(laterIndex)
                chunks[later].replace(laterIndex, with: chunks[earlier].match(earlierIndex))
                chunks[earlier].replace(earlierIndex, with: moved)
            }
            current -= 1
        }
    }

    /// `match.precedes(other)` for the match at `place`, reading only the fields it needs.
    @inline(__always)
    private func precedes(_ match: borrowing QueuedMatch, _ place: (chunk: Int, index: Int)) -> Bool {
        let other = chunks[place.chunk].records[place.index]
        if match.time != other.time { return match.time < other.time }
        let order = chunks[place.chunk].compareEventID(match.eventID, at: place.index)
        if order != 0 { return order < 0 }
        return match.position < other.position
    }

    /// Takes the first match out (moved, not copied).
    mutating func removeFirst() -> PendingMatch {
        let queued = removeFirstQueued()
        let code = queued.correlation
        return queued.pendingMatch(correlation: name(code), index: Int(max(-1, code)))
    }

    /// Takes the first match out in the queue's form: its `correlation` is the correlation's
    /// index for every match the engine resolved (all it holds).
    mutating func removeFirstQueued() -> QueuedMatch {
        let serial = chunks[firstChunk].serial
        let queued = chunks[firstChunk].match(head) { reference in self.made(serial, reference) }
        remember(serial, chunks[firstChunk].records[head], queued)
        count -= 1
        head += 1
        if count == 0 {
            // Keep one chunk's storage for the next matches (a fresh chunk), free the rest.
            chunks = []
            firstChunk = 0
            head = 0
        } else if head == PendingQueue.chunkSize {
            chunks[firstChunk] = PackedMatches(serial: -1, capacity: 0)
            firstChunk += 1
            head = 0
            if firstChunk >= 64 {
                chunks.removeFirst(firstChunk)
                firstChunk = 0
            }
        }
        return queued
    }

    private func made(_ serial: Int, _ reference: UInt64) -> String? {
        for entry in made where entry.reference == reference && entry.serial == serial { return entry.text }
        return nil
    }

    /// Keeps the strings just made that live on the heap (above 15 bytes) for the next matches:
    /// those of the same event, usually, with the same event id and often the same user.
    private mutating func remember(_ serial: Int, _ record: PackedMatches.Record, _ match: borrowing QueuedMatch) {
        remember(serial, record.eventID, match.eventID)
        remember(serial, record.key, match.key)
        if let value = match.value { remember(serial, record.value, value) }
    }

    private mutating func remember(_ serial: Int, _ reference: UInt64, _ text: String) {
        guard reference & 0xFFFF_FFFF > 15, made(serial, reference) == nil else { return }
        if made.count < 4 {
            made.append((serial, reference, text))
        } else {
            made[nextMade] = (serial, reference, text)
        }
        nextMade = (nextMade + 1) & 3
    }
}
