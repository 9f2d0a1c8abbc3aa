/// The matches waiting for the watermark, in processing order. Matches mostly arrive in order
/// (appended at the back) and always leave from the front; one that arrives out of order is
/// moved back to its place.
///
/// Held compactly (`QueuedMatch`, 80 bytes) in chunks of `chunkSize`: memory follows the number
/// waiting, not the most that ever waited, and a chunk is freed as soon as the front passes it
/// (a ring doubled to a million slots stayed at that size until the process ended).
struct PendingQueue: Sendable {
    private var chunks: [[QueuedMatch]] = []
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
    var firstTime: Int64? { count == 0 ? nil : chunks[firstChunk][head].time }

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
        let queued = chunks[chunk][index]
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
            var fresh: [QueuedMatch] = []
            fresh.reserveCapacity(PendingQueue.chunkSize)
            chunks.append(fresh)
        }
        var position = count
        while position > 0, PendingQueue.precedes(queued, chunks, place(position - 1)) { position -= 1 }
        chunks[chunk].append(consume queued)
        count += 1
        // Out of order: move it back past the later ones, by swaps through the buffers, which move
        // the matches (through the arrays' subscripts or `swapAt` each was copied whole, every
        // reference retained and released).
        var current = count - 1
        while current > position {
            let (later, laterIndex) = place(current)
            let (earlier, earlierIndex) = place(current - 1)
            if later == earlier {
                chunks[later].withUnsafeMutableBufferPointer { $0.swapAt(earlierIndex, laterIndex) }
            } else {
                chunks.withUnsafeMutableBufferPointer { outer in
                    outer[later].withUnsafeMutableBufferPointer { laterChunk in
                        outer[earlier].withUnsafeMutableBufferPointer { earlierChunk in
                            swap(&laterChunk[laterIndex], &earlierChunk[earlierIndex])
                        }
                    }
                }
            }
            current -= 1
        }
    }

    /// `match.precedes(other)` for the match at `place`, reading only the fields it needs.
    @inline(__always)
    private static func precedes(
        _ match: borrowing QueuedMatch, _ chunks: borrowing [[QueuedMatch]], _ place: (chunk: Int, index: Int)
    ) -> Bool {
        // Through the buffer: reading a field through two array subscripts copies the match.
        chunks[place.chunk].withUnsafeBufferPointer { chunk in
            let other = chunk.baseAddress! + place.index
            if match.time != other.pointee.time { return match.time < other.pointee.time }
            if match.eventID != other.pointee.eventID { return match.eventID < other.pointee.eventID }
            return match.position < other.pointee.position
        }
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
        var queued = QueuedMatch.vacant
        swap(&queued, &chunks[firstChunk][head])
        count -= 1
        head += 1
        if count == 0 {
            // Keep one chunk's storage for the next matches, free the rest.
            var kept = chunks[firstChunk]
            kept.removeAll(keepingCapacity: true)
            chunks = [kept]
            firstChunk = 0
            head = 0
        } else if head == PendingQueue.chunkSize {
            chunks[firstChunk] = []
            firstChunk += 1
            head = 0
            if firstChunk >= 64 {
                chunks.removeFirst(firstChunk)
                firstChunk = 0
            }
        }
        return queued
    }
}
