import AuditwatchCore
import Synchronization

/// The threads polls run on (`polling.concurrency` of them): each a `BlockingLane` named
/// "auditwatch poll" with a state-store connection of its own, so a poll waiting on a silent
/// API holds one thread and no other poll's commit waits for it.
final class PollWorkers: Sendable {
    final class Worker: Sendable {
        let lane: BlockingLane
        /// This worker's connection; only its lane's thread uses it (the mutex makes that checkable).
        let store: Mutex<any StateStore>

        init(store: sending any StateStore) {
            lane = BlockingLane(name: "auditwatch poll")
            self.store = Mutex(store)
        }
    }

    let workers: [Worker]

    /// `count` workers, each with a new connection to `store`.
    init(count: Int, connect: () throws(StateError) -> sending any StateStore) throws(StateError) {
        var workers: [Worker] = []
        for _ in 0..<max(1, count) { workers.append(Worker(store: try connect())) }
        self.workers = workers
    }

    /// Ends the threads once their jobs are done.
    func close() { for worker in workers { worker.lane.close() } }
}
