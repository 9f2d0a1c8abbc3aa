import Synchronization

/// Whether the lease keeper is keeping its leases (`/readyz`): it reaches the store, and its
/// last successful round is not older than half the lease. Times are this process's clock.
public final class LeaseHealth: Sendable {
    private let state = Mutex<(lastSuccess: Double?, error: String?)>((nil, nil))
    private let unhealthyAfter: Double
    private let clock: @Sendable () -> Double

    public init(unhealthyAfter: Double, clock: @escaping @Sendable () -> Double) {
        self.unhealthyAfter = unhealthyAfter
        self.clock = clock
    }

    func succeeded(at time: Double) { state.withLock { $0 = (time, nil) } }
    func failed(_ reason: String) { state.withLock { $0.error = reason } }

    /// `/readyz` of a replica: its leases first (polling what it no longer holds is worse than a
    /// slow source), then the service's own readiness.
    public static func overall(
        leases: LeaseHealth?, service: ServiceReadiness
    ) -> (ready: Bool, reason: String) {
        if let state = leases?.current, !state.ready { return state }
        return service.current
    }

    /// Ready, or why not.
    public var current: (ready: Bool, reason: String) {
        let (last, error) = state.withLock { ($0.lastSuccess, $0.error) }
        let now = clock()
        guard let last else { return (false, "leases: " + (error ?? "no lease round yet")) }
        if let error { return (false, "leases: cannot reach the state store to renew: \(error)") }
        if now - last > unhealthyAfter {
            return (false, "leases: last renewal \(Int(now - last)) s ago, more than half the lease")
        }
        return (true, "ready")
    }
}
