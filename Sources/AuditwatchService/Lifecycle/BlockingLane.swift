import Foundation
import Synchronization

/// A thread of its own for blocking work: libcurl transfers (a poll can wait a whole timeout on
/// a silent API), SQLite commits, config reloads. Async code hands a job over and suspends; no
/// thread of Swift's cooperative pool (two of them on a 2-core host) ever waits in a syscall.
/// Jobs run one at a time, in the order given.
public final class BlockingLane: Sendable {
    /// The thread's name, as `/proc/self/task/*/comm` shows it (15 characters at most).
    public let name: String
    private let queue = Mutex<(jobs: [@Sendable () -> Void], closed: Bool)>(([], false))
    private let available = DispatchSemaphore(value: 0)

    public init(name: String) {
        self.name = name
        let thread = Thread { [self] in
            // A thread's own comm file names it for the kernel (top, gdb, /proc); Foundation's
            // `Thread.name` does not always reach the kernel, and a new thread inherits its creator's.
            let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm")
            comm?.write(Data(name.utf8))
            try? comm?.close()
            self.serve()
        }
        thread.start()
    }

    /// Runs `work` on the lane's thread and returns its result (or error) to the caller.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            post { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Runs `job` on the lane's thread, after the jobs already given; returns at once.
    public func post(_ job: @escaping @Sendable () -> Void) {
        queue.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// Ends the thread once the jobs already given are done.
    public func close() {
        queue.withLock { $0.closed = true }
        available.signal()
    }

    private func serve() {
        while true {
            available.wait()
            let next = queue.withLock { state -> (job: (@Sendable () -> Void)?, closed: Bool) in
                state.jobs.isEmpty ? (nil, state.closed) : (state.jobs.removeFirst(), false)
            }
            if let job = next.job { job() } else if next.closed { return }
        }
    }
}
