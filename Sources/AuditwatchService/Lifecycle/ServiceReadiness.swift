import Synchronization

/// Whether every source polled successfully last time and the outbox is moving (`/readyz`),
/// written by the polling thread, read by the health server.
public final class ServiceReadiness: Sendable {
    private let state = Mutex<(ready: Bool, reason: String)>((false, "not polled yet"))

    public init() {}

    public var current: (ready: Bool, reason: String) { state.withLock { $0 } }

    func set(ready: Bool, reason: String) { state.withLock { $0 = (ready, reason) } }
}
