public import AuditwatchCore
import Synchronization

/// The sources this replica holds, with their fencing tokens and local deadlines: written by the
/// lease keeper, read by the polling thread before each source's poll (`PollingService.leases`).
///
/// A deadline is the keeper's clock (monotonic) when the round that took or renewed the lease
/// began, plus `LeaseSettings.localValidity`: past it the store may already have expired the lease
/// and given it to another replica, so no poll starts on it, even while a starved keeper has not
/// yet dropped it. Fencing refuses the commit of a poll begun earlier; this keeps a late replica
/// from reading an organization another one polls.
public final class HeldLeases: Sendable {
    /// This replica's name (`run --replica`).
    public let replica: String
    private let held = Mutex<[String: Held]>([:])
    private let clock: @Sendable () -> Double

    private struct Held {
        var token: Int64
        var deadline: Double
    }

    /// `clock` is the keeper's (seconds, monotonic), the one its deadlines are set on.
    public init(replica: String, clock: @escaping @Sendable () -> Double) {
        self.replica = replica
        self.clock = clock
    }

    /// The token this replica holds `source` with, or nil when it does not hold it (past its
    /// deadline or not: the keeper's bookkeeping).
    public func token(for source: String) -> Int64? { held.withLock { $0[source]?.token } }

    /// Every source held, with its token.
    public var all: [String: Int64] { held.withLock { $0.mapValues(\.token) } }

    /// The fence a poll of `source` commits with: nil when it is not held, or past its deadline.
    public func fence(for source: String) -> LeaseFence? {
        let now = clock()
        return held.withLock { held in
            guard let lease = held[source], now < lease.deadline else { return nil }
            return LeaseFence(source: source, holder: replica, token: lease.token)
        }
    }

    /// Whether a poll of `source` may start now (held, within its deadline).
    public func isLive(_ source: String) -> Bool { fence(for: source) != nil }

    /// Holds `source` with `token` until `deadline` (the keeper's clock), replacing what was held.
    func set(_ source: String, token: Int64, deadline: Double) {
        held.withLock { $0[source] = Held(token: token, deadline: deadline) }
    }

    /// Moves the deadline of each source still held with the token in `renewed` (a renewal).
    func extend(_ renewed: [String: Int64], deadline: Double) {
        held.withLock { held in
            for (source, token) in renewed where held[source]?.token == token { held[source]?.deadline = deadline }
        }
    }

    /// Drops `source` when it is still held with `token`; false when it was not (already dropped,
    /// or taken again with a newer token meanwhile).
    @discardableResult
    public func drop(_ source: String, token: Int64) -> Bool {
        held.withLock { held in
            guard held[source]?.token == token else { return false }
            held[source] = nil
            return true
        }
    }
}
