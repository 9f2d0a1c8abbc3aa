import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Fencing: a replica paused past its lease commits nothing when it resumes", .serialized)
struct FencingTests {
    @Test(
        "SIGSTOP mid-poll past the lease, another replica takes over, SIGCONT: no alert and no cursor from the paused replica, its leases given up"
    )
    func pausedReplicaIsFenced() throws {
        let plan = ClusterEventPlan(organizations: 10, waves: 6)
        let scenario = try ClusterScenario(plan: plan)
        defer { scenario.stop() }
        let cluster = scenario.cluster()
        defer { cluster.stopAll() }
        try cluster.start("r1")
        try cluster.start("r2")
        // Both hold a share, and together all. A replica starved past its lease on a loaded machine
        // loses what it held and gets its share back by balance a few rounds later: waited for.
        let shared = {
            let first = LeaseLog.held(cluster, "r1"), second = LeaseLog.held(cluster, "r2")
            return !first.isEmpty && !second.isEmpty && first.union(second) == Set(plan.organizations)
        }
        try #require(try ClusterScenario.wait(timeout: 300, cluster: cluster, shared), "every organization leased")
        try advance(scenario, cluster, to: 1)
        let balanced = try ClusterScenario.wait(timeout: 300, cluster: cluster, shared)
        let paused = LeaseLog.held(cluster, "r1")
        try #require(
            balanced && !paused.isEmpty,
            "r1 holds organizations: \(paused.count); r2 holds \(LeaseLog.held(cluster, "r2").count)")

        // r1's next request is held open and SIGSTOP lands while it waits: r1 is paused mid-poll
        // with a page in its socket that only it is ever shown (an event per organization it
        // holds). Committing that page after the pause would put those events in the store.
        let fenced = paused.sorted().map { organization in
            (organization: organization, event: "\(organization)-fenced")
        }
        for (organization, event) in fenced {
            scenario.standIn.add(
                organization: organization, id: event, at: plan.base + 150, type: "scim.disabled",
                email: "fenced@acme.example", wave: 0, onlyFor: "r1")
        }
        scenario.standIn.hold(caller: "r1")
        let asked = scenario.standIn.waitUntilHeld(timeout: 120)
        try #require(asked != nil, "r1 polled again")
        cluster.signal("r1", SIGSTOP)
        let stoppedAt = Date().timeIntervalSince1970
        scenario.standIn.release()

        // r2 takes every organization over once r1's leases run out, and commits their next waves.
        let tookOver = try ClusterScenario.wait(timeout: 300, cluster: cluster) {
            paused.isSubset(of: LeaseLog.held(cluster, "r2"))
        }
        try #require(tookOver, "r2 took over \(paused.subtracting(LeaseLog.held(cluster, "r2")).sorted())")
        let takeover = Date().timeIntervalSince1970 - stoppedAt
        try advance(scenario, cluster, to: 2)
        try advance(scenario, cluster, to: 3)
        let r2Tokens = tokens(LeaseLog.lines(cluster, "r2"), acquired: paused)

        let before = cluster.log(of: "r1").count
        let leaseLinesBefore = LeaseLog.lines(cluster, "r1").count
        cluster.signal("r1", SIGCONT)
        let gaveUp = try ClusterScenario.wait(timeout: 120, cluster: cluster) {
            let lost = LeaseLog.lines(cluster, "r1").dropFirst(leaseLinesBefore).filter { $0.message == "lease lost" }
            return paused.isSubset(of: Set(lost.compactMap { $0["source"] }))
        }
        // A few more waves: time for a fenced replica to do harm if it could.
        try advance(scenario, cluster, to: 4)
        try advance(scenario, cluster, to: 5)
        let after = Array(cluster.log(of: "r1").dropFirst(before))
        let running = cluster.replica("r1")?.isRunning ?? false
        cluster.stopAll()

        let lost = Set(after.filter { $0.message == "lease lost" }.compactMap { $0["source"] })
        #expect(
            gaveUp, "r1 logged lease lost for each organization it held; not for \(paused.subtracting(lost).sorted())")
        #expect(running, "r1 runs on after the pause")
        #expect(asked.map(paused.contains) ?? false, "the held request was for an organization r1 held")
        // Nothing of the page r1 held reached the store: no alert, no poller state, no delivery.
        let alerts = try scenario.postgres.query(
            "SELECT id FROM alerts WHERE alert LIKE '%-fenced%'", database: scenario.database)
        #expect(alerts.isEmpty, "alerts from r1's fenced page in the store: \(alerts)")
        let cursors = try scenario.postgres.query(
            "SELECT source FROM source_state WHERE state LIKE '%-fenced%'", database: scenario.database)
        #expect(cursors.isEmpty, "poller state (cursor, seen ids) from r1's fenced page: \(cursors)")
        let fencedAlerts = Set(fenced.map { AlertID.make(ruleID: "scim_disabled", group: [], anchorEventID: $0.event) })
        let delivered = scenario.receiver.deliveries.filter { fencedAlerts.contains($0.alertID) }
        #expect(delivered.isEmpty, "alerts of r1's fenced page delivered: \(delivered.count)")
        // After the pause r1 commits nothing under its old leases: a commit of r1's for one of
        // those organizations carries a token newer than r2's (it was leased again, by balance).
        for line in after where line.message == "committed" {
            guard let source = line["source"], let newer = r2Tokens[source] else { continue }
            let token = line["token"].flatMap { Int64($0) } ?? .min
            #expect(token > newer, "r1 committed \(source) with token \(token) after r2's \(newer): \(line.fields)")
        }
        let refused = after.filter { $0.message == "commit refused: lease lost" }.compactMap { $0["source"] }
        print(
            "fencing: r1 paused (SIGSTOP) mid-poll holding \(paused.count) of \(plan.organizations.count) "
                + "organizations, lease \(scenario.lease); r2 held them all "
                + String(format: "%.1f", takeover) + " s after the pause; after SIGCONT r1 logged lease lost for "
                + "\(lost.count), had \(refused.count) commit(s) refused (\(Set(refused).sorted().joined(separator: ","))), "
                + "and none of its held page reached the store")
    }

    /// Opens wave `wave` and waits until every organization has been polled in it.
    private func advance(_ scenario: ClusterScenario, _ cluster: ReplicaCluster, to wave: Int) throws {
        while scenario.standIn.wave < wave { scenario.standIn.advance() }
        let polled = try ClusterScenario.wait(timeout: 300, cluster: cluster) {
            Set(scenario.standIn.requests.filter { $0.wave >= wave }.map(\.organization))
                == Set(scenario.plan.organizations)
        }
        let missing = Set(scenario.plan.organizations).subtracting(
            scenario.standIn.requests.filter { $0.wave >= wave }.map(\.organization))
        let leases = LeaseLog.lines(cluster).filter { $0["source"].map(missing.contains) ?? false }.suffix(12)
        try #require(
            polled,
            Comment(
                rawValue: "every organization polled in wave \(wave); not \(missing.sorted()), their last lease lines: "
                    + "\(leases.map { [$0.message, $0["replica"] ?? "", $0["source"] ?? "", $0["token"] ?? ""] })"))
    }

    /// The newest token each of `acquired` was leased with, per source, in `records`.
    private func tokens(_ records: [LogRecord], acquired: Set<String>) -> [String: Int64] {
        var tokens: [String: Int64] = [:]
        for record in records where record.message == "lease acquired" {
            guard let source = record["source"], acquired.contains(source),
                let token = record["token"].flatMap({ Int64($0) })
            else { continue }
            tokens[source] = max(tokens[source] ?? .min, token)
        }
        return tokens
    }
}
