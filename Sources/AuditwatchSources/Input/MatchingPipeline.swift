public import AuditwatchCore
import Foundation
import Synchronization

/// Uses a second core for long reads: events are read, parsed and matched against the
/// single-event rules (the pure, stateless half of the engine) on other threads, in batches,
/// and the caller applies them to the engine (correlations, suppression, alerts) in the same
/// order. The engine sees exactly the sequence a single-threaded read gives, so the results
/// are identical. A JSON Lines file is parsed by two workers in chunks (`ParallelLineReader`);
/// standard input and whole documents by one background reader.
public final class MatchingPipeline: @unchecked Sendable {
    // @unchecked: `reader` is not Sendable; once `run` starts only the producer thread uses it.
    // The queue and the failure are behind the mutex.
    public typealias Item = (event: Event, matched: DetectionEngine.Matched, position: EventReader.Position)

    private let reader: EventReader
    private let ruleSet: RuleSet
    private let batchSize: Int
    private let queue = Mutex<[[Item]?]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore
    private let failure = Mutex<InputProblem?>(nil)

    /// At most `depth` batches wait, so memory stays bounded however fast the reader is.
    public init(reader: EventReader, ruleSet: RuleSet, batchSize: Int = 1024, depth: Int = 3) {
        self.reader = reader
        reader.sharesDocuments = true
        self.ruleSet = ruleSet
        self.batchSize = batchSize
        free = DispatchSemaphore(value: depth)
    }

    /// Reads to the end, calling `consume` on this thread with each batch in input order.
    public func run(
        onProblem: @escaping @Sendable (InputProblem) -> Void, consume: ([Item]) -> Void
    ) throws(InputProblem) {
        // A JSON Lines file is cut into chunks that two workers parse and match while this
        // thread runs the engine: parsing, the heavy part for most rule sets, uses both cores.
        if ParallelLineReader.isJSONLinesFile(reader.path) {
            try ParallelLineReader(path: reader.path, ruleSet: ruleSet).run(onProblem: onProblem, consume: consume)
            return
        }
        let thread = Thread { [self] in produce(onProblem) }
        thread.stackSize = 8 << 20
        thread.start()
        while true {
            filled.wait()
            let batch = queue.withLock { $0.removeFirst() }
            free.signal()
            guard let batch else { break }
            consume(batch)
        }
        if let failure = failure.withLock({ $0 }) { throw failure }
    }

    private func produce(_ onProblem: @escaping @Sendable (InputProblem) -> Void) {
        var batch: [Item] = []
        batch.reserveCapacity(batchSize)
        let ruleSet = self.ruleSet
        do {
            try reader.read(strict: false, from: nil, onProblem: onProblem) { event, position in
                batch.append((event, DetectionEngine.match(event, in: ruleSet), position))
                if batch.count >= batchSize {
                    hand(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            failure.withLock { $0 = error }
        }
        if !batch.isEmpty { hand(batch) }
        hand(nil)
    }

    private func hand(_ batch: [Item]?) {
        // The batch's events share documents with the reader: it must start a new one first.
        reader.detachDocument()
        free.wait()
        queue.withLock { $0.append(batch) }
        filled.signal()
    }
}
