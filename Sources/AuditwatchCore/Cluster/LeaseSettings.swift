/// `cluster: { lease: 30s, renew: 10s }`: how long a lease lasts and how often it is renewed.
public struct LeaseSettings: Sendable, Equatable {
    /// Seconds a lease lasts unless renewed; a dead replica's organizations move within it.
    public var lease: Double
    /// Seconds between renewals (default a third of the lease: two can fail before it ends).
    public var renew: Double

    public init(lease: Double = 30, renew: Double? = nil) {
        self.lease = lease
        self.renew = renew ?? lease / 3
    }

    /// Past this long without a successful renewal the replica is unhealthy (`/readyz` 503):
    /// half the lease, so an operator hears of it before the organizations move.
    public var unhealthyAfter: Double { lease / 2 }

    /// How long after the start of the round that took or renewed a lease this replica still
    /// starts polls on it: a tenth short of the lease, for a clock here that runs slower than
    /// PostgreSQL's (the store expires the lease by its own clock).
    public var localValidity: Double { lease * 0.9 }
}
