import AuditwatchCore
import Foundation

/// Parses a JSON Lines file on several threads while the caller consumes the events in file
/// order: a splitter thread cuts the file into chunks at newlines and counts their lines,
/// worker threads each parse and match whole chunks (each worker with an `EventReader` of its
/// own, so line numbers, problems and list-response lines behave exactly as in a plain read),
/// and the caller takes the finished chunks back in sequence. At most `depth` chunks are
/// between the splitter and the caller, so memory stays bounded however fast the workers are.
final class ParallelLineReader: @unchecked Sendable {
    // @unchecked: the fields below `condition` are guarded by it; an NSCondition, not a Mutex,
    // because the splitter, the workers and the caller wait on it for each other.
    /// One chunk's outcome: its events (matched, in order) and its problems (in order).
    struct ChunkResult {
        var items: [MatchingPipeline.Item] = []
        var problems: [InputProblem] = []
    }

    private struct Chunk {
        var sequence: Int
        var bytes: [UInt8]
        var fileOffset: Int64
        var linesBefore: Int
    }

    private let path: String
    private let ruleSet: RuleSet
    private let workers: Int
    private let depth: Int
    private let chunkSize: Int

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Chunk] = []
    private var results: [Int: ChunkResult] = [:]
    private var inFlight = 0
    private var chunkCount: Int?
    /// Chunk buffers the workers are done with, for the splitter to refill: no fresh memory
    /// (and no page faults) per chunk.
    private var spareBuffers: [[UInt8]] = []

    init(path: String, ruleSet: RuleSet, workers: Int = 2, depth: Int = 4, chunkSize: Int = 1 << 19) {
        self.path = path
        self.ruleSet = ruleSet
        self.workers = workers
        self.depth = depth
        self.chunkSize = chunkSize
    }

    /// Whether `path` is a JSON Lines file (not standard input, not a JSON array or one
    /// multi-line document), judged as `EventReader` judges it.
    static func isJSONLinesFile(_ path: String) -> Bool {
        guard path != "-", let source = try? ByteSource(path: path) else { return false }
        var buffer: [UInt8] = []
        _ = source.read(into: &buffer, count: 1 << 16)
        guard let first = buffer.firstIndex(where: { !EventReader.isWhitespace($0) }),
            buffer[first] == UInt8(ascii: "{"),
            let newline = buffer[first...].firstIndex(of: UInt8(ascii: "\n"))
        else { return false }
        return (try? JSONDocument(parsing: buffer[first..<newline])) != nil
    }

    /// Reads the whole file, calling `consume` on this thread with each chunk's events in file
    /// order, after `onProblem` with the chunk's problems.
    func run(onProblem: (InputProblem) -> Void, consume: ([MatchingPipeline.Item]) -> Void) throws(InputProblem) {
        // Opened here so a missing file fails as in a plain read; from now on only the splitter
        // thread touches it.
        nonisolated(unsafe) let source = try ByteSource(path: path)
        let splitter = Thread { [self] in split(source) }
        splitter.stackSize = 1 << 20
        splitter.start()
        for _ in 0..<workers {
            let worker = Thread { [self] in work() }
            worker.stackSize = 8 << 20
            worker.start()
        }
        var sequence = 0
        var eventsSoFar = 0
        while true {
            condition.lock()
            while results[sequence] == nil && chunkCount != sequence { condition.wait() }
            guard var result = results.removeValue(forKey: sequence) else {
                condition.unlock()
                break
            }
            inFlight -= 1
            condition.broadcast()
            condition.unlock()
            for problem in result.problems { onProblem(problem) }
            // Workers count events per chunk; the running count is only known here.
            for index in result.items.indices {
                eventsSoFar += 1
                result.items[index].position.events = eventsSoFar
            }
            consume(result.items)
            sequence += 1
        }
    }

    /// Cuts the file at the last newline of each read, counting lines so every chunk knows the
    /// number of its first line. A last line without a newline gets one.
    private func split(_ source: ByteSource) {
        var buffer: [UInt8] = []
        var fileOffset: Int64 = 0
        var lines = 0
        var sequence = 0
        func spareBuffer() -> [UInt8] {
            condition.lock()
            var spare = spareBuffers.popLast() ?? []
            condition.unlock()
            spare.removeAll(keepingCapacity: true)
            return spare
        }
        func submit(_ bytes: [UInt8]) {
            condition.lock()
            while inFlight >= depth { condition.wait() }
            pending.append(Chunk(sequence: sequence, bytes: bytes, fileOffset: fileOffset, linesBefore: lines))
            inFlight += 1
            condition.broadcast()
            condition.unlock()
            sequence += 1
            fileOffset += Int64(bytes.count)
            lines += bytes.withUnsafeBytes { ParallelLineReader.countNewlines($0) }
        }
        while true {
            if source.read(into: &buffer, count: chunkSize) == 0 {
                if buffer.contains(where: { !EventReader.isWhitespace($0) }) {
                    buffer.append(UInt8(ascii: "\n"))
                    submit(buffer)
                }
                break
            }
            guard let last = ParallelLineReader.lastNewline(in: buffer) else { continue }
            var chunk = spareBuffer()
            chunk.append(contentsOf: buffer[...last])
            submit(chunk)
            buffer.removeFirst(last + 1)
        }
        condition.lock()
        chunkCount = sequence
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        let reader = EventReader(path: path)
        reader.sharesDocuments = true
        let ruleSet = self.ruleSet
        // Documents whose chunks the caller has finished with are refilled, not reallocated.
        var pool: [JSONDocument] = []
        while true {
            condition.lock()
            while pending.isEmpty && chunkCount == nil { condition.wait() }
            guard !pending.isEmpty else {
                condition.unlock()
                return
            }
            let chunk = pending.removeFirst()
            condition.unlock()

            var result = ChunkResult()
            var lineNumber = chunk.linesBefore
            // One document per chunk: its events leave together, and come back together.
            var document: JSONDocument
            if let free = pool.indices.first(where: { pool[$0].resetIfUnreferenced() }) {
                document = pool.remove(at: free)
            } else {
                document = JSONDocument(reservingBytes: chunk.bytes.count + 64, nodes: chunk.bytes.count / 8 + 64)
            }
            chunk.bytes.withUnsafeBytes { raw in
                // Not strict, so the report closure never throws and the read cannot fail.
                _ = try? reader.readLineChunk(
                    raw, fileOffset: chunk.fileOffset, lineNumber: &lineNumber, document: &document,
                    report: { problem in result.problems.append(problem) }
                ) { event, position in
                    result.items.append((event, DetectionEngine.match(event, in: ruleSet), position))
                }
            }
            if pool.count < depth + 2 { pool.append(document) }
            condition.lock()
            results[chunk.sequence] = result
            if spareBuffers.count < depth + workers { spareBuffers.append(chunk.bytes) }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The index of the last newline in `bytes`, searched from the end (a line is short, so
    /// this stops within a few hundred bytes).
    static func lastNewline(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var index = buffer.count - 1
            while index >= 0 {
                if buffer[index] == UInt8(ascii: "\n") { return index }
                index -= 1
            }
            return nil
        }
    }

    static func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var cursor = 0
        while let newline = memchrIndex(bytes, UInt8(ascii: "\n"), from: cursor) {
            count += 1
            cursor = newline + 1
        }
        return count
    }
}
