import Foundation
import Synchronization

/// The pauses between a poll's retries (an API that fails, a 429's `Retry-After` of up to 15
/// minutes), cut short when the service stops: a worker waiting out a long backoff would hold
/// SIGTERM up for as long, and a replica's leases with it.
final class RetryPause: Sendable {
    private let condition = NSCondition()
    private let stopped = Mutex(false)

    /// Ends every pause now and every later one at once.
    func stop() {
        stopped.withLock { $0 = true }
        // Under the condition's lock: a sleeper checks the flag and waits holding it, so the
        // broadcast cannot fall between its check and its wait.
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `stop` was called.
    var isStopped: Bool { stopped.withLock { $0 } }

    /// Blocks the calling thread (a poll worker's) up to `seconds`, less once `stop` is called.
    /// The time left is counted on the monotonic clock and each wait is at most a second: the
    /// condition waits until a wall-clock date, which a clock step would move.
    func sleep(_ seconds: Double) {
        let end = ProcessInfo.processInfo.systemUptime + seconds
        condition.lock()
        defer { condition.unlock() }
        while !isStopped {
            let left = end - ProcessInfo.processInfo.systemUptime
            if left <= 0 { return }
            _ = condition.wait(until: Date().addingTimeInterval(min(left, 1)))
        }
    }
}
