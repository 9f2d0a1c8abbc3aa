public import AuditwatchCore
import Synchronization

/// The sources this replica holds, with their fencing tokens: written by the lease keeper, read
/// by the polling thread before each source's poll (`PollingService.leases`).
public final class HeldLeases: Sendable {
    /// This replica's name (`run --replica`).
    public let replica: String
    private let held = Mutex<[String: Int64]>([:])

    public init(replica: String) { self.replica = replica }

    /// The token this replica holds `source` with, or nil when it does not hold it.
    public func token(for source: String) -> Int64? { held.withLock { $0[source] } }

    /// Every source held, with its token.
    public var all: [String: Int64] { held.withLock { $0 } }

    /// The fence a commit of `source` carries, when it is held.
    public func fence(for source: String) -> LeaseFence? {
        token(for: source).map { LeaseFence(source: source, holder: replica, token: $0) }
    }

    func set(_ source: String, token: Int64?) { held.withLock { $0[source] = token } }

    /// Drops `source` when it is still held with `token`; false when it was not (already dropped,
    /// or taken again with a newer token meanwhile).
    @discardableResult
    public func drop(_ source: String, token: Int64) -> Bool {
        held.withLock { held in
            guard held[source] == token else { return false }
            held[source] = nil
            return true
        }
    }
}
