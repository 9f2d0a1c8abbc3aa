import Testing

@testable import AuditwatchCore

@Suite("Lease decisions (claim, renew, release for balance)")
struct LeasePlannerTests {
    private let settings = LeaseSettings(lease: 30)
    private let sources = ["a", "b", "c", "d", "e"]

    private func lease(_ source: String, _ holder: String?, expires: Double, token: Int64 = 1) -> Lease {
        Lease(source: source, holder: holder, token: token, expiresAt: expires, acquiredAt: 0, renewedAt: 0)
    }

    private func alive(_ names: String..., at now: Double = 100) -> [ReplicaHeartbeat] {
        names.map { ReplicaHeartbeat(name: $0, startedAt: 0, lastSeen: now - 1) }
    }

    @Test("defaults: a 30 s lease renewed every 10 s, unhealthy after 15 s")
    func defaults() {
        #expect(LeaseSettings() == LeaseSettings(lease: 30, renew: 10))
        #expect(LeaseSettings(lease: 9).renew == 3 && LeaseSettings(lease: 9).unhealthyAfter == 4.5)
    }

    @Test("fair share is ceil(sources / live replicas)")
    func fairShare() {
        #expect(LeasePlanner.fairShare(sources: 50, liveReplicas: 3) == 17)
        #expect(LeasePlanner.fairShare(sources: 5, liveReplicas: 2) == 3)
        #expect(LeasePlanner.fairShare(sources: 4, liveReplicas: 0) == 4)
        #expect(LeasePlanner.fairShare(sources: 0, liveReplicas: 3) == 0)
    }

    @Test("alone, a replica claims every free source, and nothing to renew yet")
    func aloneClaimsAll() {
        let plan = LeasePlanner.plan(
            replica: "r1", sources: sources, leases: [], replicas: [], now: 100, lastRenewal: nil, settings: settings)
        #expect(plan == LeasePlan(claim: sources, release: [], renew: false))
    }

    @Test("a source another replica holds is not claimed; an expired or released one is")
    func heldExpiredReleased() {
        let leases = [
            lease("a", "r2", expires: 120), lease("b", "r2", expires: 99), lease("c", nil, expires: 50),
        ]
        let plan = LeasePlanner.plan(
            replica: "r1", sources: ["a", "b", "c"], leases: leases, replicas: alive("r1"), now: 100, lastRenewal: nil,
            settings: settings)
        // r2's heartbeat is stale (not in replicas): r1 is alone, its share is all three.
        #expect(plan.claim == ["b", "c"])
    }

    @Test("renewal is due a renew interval after the last one, only when something is held")
    func renewDue() {
        let held = sources.map { lease($0, "r1", expires: 125) }
        func plan(_ last: Double?) -> LeasePlan {
            LeasePlanner.plan(
                replica: "r1", sources: sources, leases: held, replicas: alive("r1"), now: 100, lastRenewal: last,
                settings: settings)
        }
        #expect(plan(95).renew == false)
        #expect(plan(90).renew == true)
        #expect(plan(nil).renew == true)
        #expect(plan(90).claim.isEmpty && plan(90).release.isEmpty)
        let none = LeasePlanner.plan(
            replica: "r1", sources: sources, leases: [], replicas: [], now: 100, lastRenewal: 0, settings: settings)
        #expect(none.renew == false)
    }

    @Test("a new live replica: the one holding everything releases the surplus over its share, from the end")
    func balanceReleasesSurplus() {
        let held = sources.map { lease($0, "r1", expires: 125) }
        let plan = LeasePlanner.plan(
            replica: "r1", sources: sources, leases: held, replicas: alive("r1", "r2"), now: 100, lastRenewal: 95,
            settings: settings)
        #expect(plan.release == ["d", "e"] && plan.claim.isEmpty)
        // The newcomer claims what was released, up to its share.
        var after = Array(held.prefix(3))
        after += ["d", "e"].map { lease($0, nil, expires: 100) }
        let newcomer = LeasePlanner.plan(
            replica: "r2", sources: sources, leases: after, replicas: alive("r1", "r2"), now: 100, lastRenewal: nil,
            settings: settings)
        #expect(newcomer.claim == ["d", "e"] && newcomer.release.isEmpty)
    }

    @Test("a replica whose heartbeat is older than the lease no longer counts: the survivors' share grows")
    func deadReplicaNotCounted() {
        let leases = [lease("a", "r1", expires: 125), lease("b", "r1", expires: 125), lease("c", "r2", expires: 90)]
        let replicas = [
            ReplicaHeartbeat(name: "r1", startedAt: 0, lastSeen: 99),
            ReplicaHeartbeat(name: "r2", startedAt: 0, lastSeen: 60),
        ]
        let plan = LeasePlanner.plan(
            replica: "r1", sources: ["a", "b", "c"], leases: leases, replicas: replicas, now: 100, lastRenewal: 95,
            settings: settings)
        #expect(plan.claim == ["c"] && plan.release.isEmpty)
    }

    @Test("a source gone from the config is released whatever the share")
    func goneFromConfig() {
        let leases = [lease("a", "r1", expires: 125), lease("old", "r1", expires: 125)]
        let plan = LeasePlanner.plan(
            replica: "r1", sources: ["a"], leases: leases, replicas: alive("r1"), now: 100, lastRenewal: 95,
            settings: settings)
        #expect(plan.release == ["old"] && plan.claim.isEmpty)
    }

    @Test("a lease is held only by its holder and only before it expires")
    func leaseStates() {
        let held = lease("a", "r1", expires: 100)
        #expect(held.isHeld(by: "r1", at: 99.9) && !held.isHeld(by: "r1", at: 100) && !held.isHeld(by: "r2", at: 50))
        #expect(!held.isFree(at: 99) && held.isFree(at: 100) && lease("a", nil, expires: 200).isFree(at: 0))
    }
}
