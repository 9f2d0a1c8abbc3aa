import Synchronization

/// What signals ask of the running service: SIGTERM and SIGINT (through the service group's
/// graceful shutdown) stop it, SIGHUP reloads. The polling loop sleeps in `wait`, which a
/// request cuts short.
public final class ServiceRequests: Sendable {
    enum Wake: Sendable {
        case request
        case timer(Int)
    }

    private let flags = Mutex<(stop: Bool, reload: Bool)>((false, false))
    let wakeups: AsyncStream<Wake>
    private let continuation: AsyncStream<Wake>.Continuation

    public init() {
        (wakeups, continuation) = AsyncStream.makeStream(of: Wake.self)
    }

    public func requestStop() {
        flags.withLock { $0.stop = true }
        continuation.yield(.request)
    }

    public func requestReload() {
        flags.withLock { $0.reload = true }
        continuation.yield(.request)
    }

    /// Cuts the loop's wait short with no request (a poll ended).
    func wake() {
        continuation.yield(.request)
    }

    public var stopRequested: Bool { flags.withLock { $0.stop } }

    /// Whether a reload was asked for since the last call (several signals meanwhile are one reload).
    public func takeReload() -> Bool {
        flags.withLock { flags in
            defer { flags.reload = false }
            return flags.reload
        }
    }

    /// The one reader of the wakeups (the polling loop).
    struct Waiter {
        let requests: ServiceRequests
        var iterator: AsyncStream<Wake>.Iterator
        var timers = 0

        init(_ requests: ServiceRequests) {
            self.requests = requests
            iterator = requests.wakeups.makeAsyncIterator()
        }

        /// Sleeps up to `seconds`, returning early when a request arrives (or arrived since the last wait).
        mutating func wait(_ seconds: Double) async {
            timers += 1
            let token = timers, continuation = requests.continuation
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                continuation.yield(.timer(token))
            }
            defer { timer.cancel() }
            while let wake = await iterator.next() {
                switch wake {
                case .request: return
                case .timer(let fired) where fired == token: return
                case .timer: continue  // an earlier wait's timer
                }
            }
        }
    }
}
