/// A replica as the store last heard from it (`replicas` table): for balance and `cluster status`.
public struct ReplicaHeartbeat: Sendable, Equatable, Codable {
    public var name: String
    /// When the replica started (its own clock, for people).
    public var startedAt: Double
    /// When it last reported (the store's clock).
    public var lastSeen: Double

    public init(name: String, startedAt: Double, lastSeen: Double) {
        self.name = name
        self.startedAt = startedAt
        self.lastSeen = lastSeen
    }

    /// Alive when heard from within `within` seconds of `now` (the lease period: a replica that
    /// stopped reporting has also stopped renewing).
    public func isLive(at now: Double, within: Double) -> Bool { now - lastSeen < within }
}
