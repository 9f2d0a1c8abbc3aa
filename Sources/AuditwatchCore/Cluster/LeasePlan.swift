/// What a replica does with its leases this round (`LeasePlanner.plan`).
public struct LeasePlan: Sendable, Equatable {
    /// Free or expired sources to take, in order.
    public var claim: [String] = []
    /// Sources to give up: more than the fair share is held, or the config no longer has them.
    public var release: [String] = []
    /// Whether the leases held are due for renewal.
    public var renew = false

    public init(claim: [String] = [], release: [String] = [], renew: Bool = false) {
        self.claim = claim
        self.release = release
        self.renew = renew
    }
}

/// The pure lease decisions of a replica, time passed in (like `DeliveryPolicy`): which sources
/// to claim, whether to renew, what to give up so that every live replica gets its fair share,
/// ceil(sources / live replicas), without a restart of the others.
public enum LeasePlanner {
    /// The most sources one of `liveReplicas` replicas should hold (at least 1 when there are sources).
    public static func fairShare(sources: Int, liveReplicas: Int) -> Int {
        let replicas = max(1, liveReplicas)
        return (sources + replicas - 1) / replicas
    }

    /// `sources`: the config's; `leases`: every lease row; `replicas`: the heartbeats (this one
    /// counts as live whatever its row says); `lastRenewal`: when this replica last renewed.
    public static func plan(
        replica: String, sources: [String], leases: [Lease], replicas: [ReplicaHeartbeat], now: Double,
        lastRenewal: Double?, settings: LeaseSettings
    ) -> LeasePlan {
        let configured = Set(sources)
        let byName = Dictionary(leases.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        var live = Set(replicas.filter { $0.isLive(at: now, within: settings.lease) }.map(\.name))
        live.insert(replica)
        let share = fairShare(sources: configured.count, liveReplicas: live.count)
        let held = leases.filter { $0.isHeld(by: replica, at: now) }.map(\.source).sorted()
        var plan = LeasePlan()
        plan.renew = !held.isEmpty && (lastRenewal.map { now - $0 >= settings.renew } ?? true)
        // A source gone from the config is given up whatever the share.
        plan.release = held.filter { !configured.contains($0) }
        let keep = held.filter { configured.contains($0) }
        if keep.count > share {
            // The surplus goes from the end: every replica keeps the same ones, fewer moves.
            plan.release += keep.suffix(keep.count - share)
            return plan
        }
        let room = share - keep.count
        guard room > 0 else { return plan }
        let free = sources.filter { source in byName[source].map { $0.isFree(at: now) } ?? true }
        plan.claim = Array(free.prefix(room))
        return plan
    }
}
