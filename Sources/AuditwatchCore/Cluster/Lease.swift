/// One source's lease as the store keeps it: who holds it, its fencing token and when it ends.
/// Times are Unix seconds on the store's clock (PostgreSQL's `clock_timestamp()`), never a
/// replica's own: replicas whose clocks disagree still agree on who holds what.
public struct Lease: Sendable, Equatable, Codable {
    /// The organization (source) name.
    public var source: String
    /// The replica holding it; nil when released (free).
    public var holder: String?
    /// Bumped on every change of holder (never reused for a source): a commit carries it, and the
    /// store refuses one whose token is no longer the lease's.
    public var token: Int64
    /// When the lease ends unless renewed.
    public var expiresAt: Double
    /// When the current holder took it.
    public var acquiredAt: Double
    /// When it was last renewed (or taken).
    public var renewedAt: Double

    public init(
        source: String, holder: String?, token: Int64, expiresAt: Double, acquiredAt: Double, renewedAt: Double
    ) {
        self.source = source
        self.holder = holder
        self.token = token
        self.expiresAt = expiresAt
        self.acquiredAt = acquiredAt
        self.renewedAt = renewedAt
    }

    /// Whether `replica` holds it at `now` (held and not expired).
    public func isHeld(by replica: String, at now: Double) -> Bool { holder == replica && expiresAt > now }

    /// Whether anyone may take it at `now`: released, or expired.
    public func isFree(at now: Double) -> Bool { holder == nil || expiresAt <= now }
}
