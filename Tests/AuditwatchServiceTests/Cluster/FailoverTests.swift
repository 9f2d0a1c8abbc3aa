import AuditwatchTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The quick form (`make test`): 50 organizations, three replicas, two of them SIGKILLed one
/// after the other. `make faults` sets AUDITWATCH_FAULT_ROUNDS: that many kills, 120
/// organizations, each killed replica started again a wave later.
private let longRounds = Int(ProcessInfo.processInfo.environment["AUDITWATCH_FAULT_ROUNDS"] ?? "")

/// A kill, and what was true when it landed.
private struct Kill {
    var victim: String
    var wave: Int
    var time: Double
    /// The organizations the victim held (its log's leases).
    var held: Set<String>
    /// Alerts the victim had sent (the receiver has them) whose delivery was still pending in
    /// the store after the kill: the kill landed inside their HTTP request, or between the
    /// answer and its record. Such an alert may arrive once more, from another replica.
    var inFlight: Set<String>
    /// The alert whose request the receiver held open while the kill landed, if it did.
    var heldRequest: String?
    /// The stand-in's and the receiver's counts when the kill landed: what came later came from
    /// a live process.
    var requestMark: Int
    var deliveryMark: Int
    /// The same counts when the victim was started again under its name (`make faults`): what
    /// came from its name later came from the new process.
    var restartRequestMark = Int.max
    var restartDeliveryMark = Int.max

    /// Whether a request or delivery by `caller`, numbered `sequence`, came from a replica alive
    /// after this kill: another one, or the victim's new process.
    func fromLiveReplica(caller: String, sequence: Int, restartMark: Int) -> Bool {
        caller != victim || sequence >= restartMark
    }
}

@Suite("Failover: replicas on one PostgreSQL share the organizations and survive SIGKILLs", .serialized)
struct FailoverTests {
    @Test(
        "every alert of a single-process run is delivered, none twice unless a kill landed inside its request, no organization polled by two replicas at once"
    )
    func killReplicasMidRun() throws {
        let long = longRounds != nil
        let kills = longRounds ?? 2
        let plan = ClusterEventPlan(organizations: long ? 120 : 50, waves: long ? 2 * kills + 6 : 10)
        let scenario = try ClusterScenario(plan: plan)
        defer { scenario.stop() }

        // The reference first: one process, the same events all at once (none late).
        let reference = try scenario.referenceAlerts()
        #expect(reference.output.status == 0, "\(reference.output.stderr.suffix(2000))")
        #expect(
            reference.ids.count == plan.expectedAlerts,
            "the single-process run raises the plan's alerts: \(reference.ids.count) of \(plan.expectedAlerts)")

        let names = ["r1", "r2", "r3"]
        let cluster = scenario.cluster()
        defer { cluster.stopAll() }
        for name in names { try cluster.start(name) }
        // Every organization held by someone before the first events show.
        let allHeld = try ClusterScenario.wait(timeout: 300, cluster: cluster) {
            Set(names.flatMap { LeaseLog.held(cluster, $0) }) == Set(plan.organizations)
        }
        try #require(allHeld, "every organization leased: \(names.map { LeaseLog.held(cluster, $0).count })")

        var killed: [Kill] = []
        // Wave -> the kill whose victim starts again then.
        var restartAt: [Int: Int] = [:]
        // The waves where a replica dies: spread over the run, never the last three (quiet ones).
        let killWaves = (0..<kills).map { 2 + $0 * (plan.waves - 4) / max(1, kills) }
        var live = names
        for wave in 1...plan.waves + 2 {
            scenario.standIn.advance()
            if let index = restartAt[wave] {
                killed[index].restartRequestMark = scenario.standIn.requests.count
                killed[index].restartDeliveryMark = scenario.receiver.deliveries.count
                try cluster.start(killed[index].victim)
                live.append(killed[index].victim)
            }
            if let index = killWaves.firstIndex(of: wave) {
                // Mid-run: the wave's events are being polled, committed and delivered. The
                // victim is the replica holding most (so there is something to take over).
                let victim = live.max {
                    LeaseLog.held(cluster, $0).count < LeaseLog.held(cluster, $1).count
                }!
                // Every other kill lands inside an HTTP request for sure: the victim's next
                // delivery is held open until it is dead (when it sends one within a minute).
                var insideRequest: String?
                if index % 2 == 0 {
                    scenario.receiver.hold(sender: victim)
                    insideRequest = scenario.receiver.waitUntilHeld(timeout: 60)
                } else {
                    Thread.sleep(forTimeInterval: 0.15 + Double((index * 7919) % 350) / 1000)
                }
                let held = LeaseLog.held(cluster, victim)
                let time = Date().timeIntervalSince1970
                cluster.signal(victim, SIGKILL)
                let requestMark = scenario.standIn.requests.count
                let deliveryMark = scenario.receiver.deliveries.count
                scenario.receiver.release()
                let sent = Set(scenario.receiver.deliveries.filter { $0.sender == victim }.map(\.alertID))
                let inFlight = try scenario.pendingAlertIDs().intersection(sent)
                killed.append(
                    Kill(
                        victim: victim, wave: wave, time: time, held: held, inFlight: inFlight,
                        heldRequest: insideRequest, requestMark: requestMark, deliveryMark: deliveryMark))
                live.removeAll { $0 == victim }
                if long { restartAt[wave + 1] = killed.count - 1 }
            }
            // The next wave opens only when every organization has been polled in this one (by
            // whoever holds it now: after a kill that includes the takeover).
            let polled = try ClusterScenario.wait(timeout: 300, cluster: cluster) {
                Set(scenario.standIn.requests.filter { $0.wave >= wave }.map(\.organization)) == Set(plan.organizations)
            }
            let missing = Set(plan.organizations).subtracting(
                scenario.standIn.requests.filter { $0.wave >= wave }.map(\.organization))
            try #require(polled, "organizations never polled in wave \(wave): \(missing.sorted().prefix(10))")
        }
        // Done when everything the reference raised arrived and the outbox is empty.
        try ClusterScenario.wait(timeout: 300, cluster: cluster) {
            guard reference.ids.isSubset(of: Set(scenario.receiver.counts.keys)) else { return false }
            return try scenario.unsentDeliveries() == 0
        }
        cluster.stopAll()

        let counts = scenario.receiver.counts
        let missing = reference.ids.subtracting(counts.keys)
        let extra = Set(counts.keys).subtracting(reference.ids)
        #expect(missing.isEmpty, "alerts never delivered: \(missing.count), e.g. \(missing.sorted().prefix(5))")
        #expect(extra.isEmpty, "alerts the single-process run does not raise: \(extra.sorted().prefix(5))")
        var duplicates = 0, explained = 0
        for (id, count) in counts where count > 1 {
            duplicates += count - 1
            explained += min(count - 1, killed.filter { $0.inFlight.contains(id) }.count)
        }
        #expect(duplicates == explained, "\(duplicates) duplicates, only \(explained) with a kill inside their request")
        #expect(duplicates <= killed.count, "at most one duplicate per kill: \(duplicates) for \(killed.count) kills")
        // At least once: an alert whose request a kill cut off arrived again, from a live replica
        // (another one, or the victim started again under its name). More than twice only when a
        // later kill cut the re-send off too (the duplicate bounds above count that).
        let deliveries = scenario.receiver.deliveries
        for kill in killed {
            guard let id = kill.heldRequest else { continue }
            #expect(kill.inFlight.contains(id), "the held request's delivery was pending after the kill")
            // Positions in arrival order (the receiver's marks count deliveries).
            let sends = deliveries.indices.filter { deliveries[$0].alertID == id }
            let resent = sends.contains {
                $0 >= kill.deliveryMark
                    && kill.fromLiveReplica(
                        caller: deliveries[$0].sender, sequence: $0, restartMark: kill.restartDeliveryMark)
            }
            let senders = sends.map { deliveries[$0].sender }
            #expect(
                sends.count >= 2 && resent,
                "the alert cut off at \(kill.victim)'s kill was sent again by a live replica: \(senders)")
        }

        // No organization processed by two replicas at once.
        let records = cluster.log()
        let requests = scenario.standIn.requests
        let overlaps = FailoverChecks.concurrentPolls(requests: requests, records: records)
        #expect(overlaps.isEmpty, "organizations polled by two replicas at once: \(overlaps.prefix(5))")
        let fencing = FailoverChecks.tokenOrder(records)
        #expect(fencing.isEmpty, "commits of an older token after a newer one's: \(fencing.prefix(5))")

        // Every organization of a killed replica was taken over, and how soon: its next request
        // from a live replica (another one, or the victim's new process).
        var takeovers: [Double] = []
        for kill in killed {
            #expect(!kill.held.isEmpty, "\(kill.victim) held organizations when killed")
            for organization in kill.held {
                let next = requests.first {
                    $0.sequence >= kill.requestMark && $0.organization == organization
                        && kill.fromLiveReplica(
                            caller: $0.caller, sequence: $0.sequence, restartMark: kill.restartRequestMark)
                }
                #expect(next != nil, "\(organization) of \(kill.victim) polled again after the kill")
                if let next { takeovers.append(next.time - kill.time) }
            }
        }
        takeovers.sort()
        let median = takeovers.isEmpty ? 0 : takeovers[takeovers.count / 2]
        print(
            "failover: \(plan.organizations.count) organizations, 3 replicas, \(killed.count) SIGKILLs"
                + (long ? " (each restarted a wave later)" : "") + ", lease \(scenario.lease); "
                + "\(reference.ids.count) alerts, all delivered; \(counts.values.reduce(0, +)) deliveries, "
                + "\(duplicates) duplicate(s) (\(killed.filter { !$0.inFlight.isEmpty }.count) kill(s) inside a request, "
                + "\(killed.filter { $0.heldRequest != nil }.count) of them held open); "
                + "takeover of \(takeovers.count) organizations after a kill: median "
                + String(format: "%.1f s, max %.1f s", median, takeovers.last ?? 0))
    }
}

/// The checks on "no organization processed by two replicas at once".
enum FailoverChecks {
    /// Organizations whose requests switch between replicas more often than their leases changed
    /// hands: two replicas polling one organization at the same time interleave their requests.
    ///
    /// Handovers are the lease tokens the logs show for the organization (acquired or committed
    /// with), less one. A replica whose poll began just inside its lease's local deadline and ran
    /// past it (starved between the check and the request) may still read once; its commit is then
    /// refused and logged, so it processed nothing: each refused commit explains the two switches
    /// of one such read (to it and back).
    static func concurrentPolls(requests: [OrganizationsStandIn.Request], records: [LogRecord]) -> [String] {
        var tokens: [String: Set<String>] = [:]
        var refused: [String: Int] = [:]
        for record in records {
            guard let source = record["source"] else { continue }
            switch record.message {
            case "lease acquired", "committed":
                if let token = record["token"] { tokens[source, default: []].insert(token) }
            case "commit refused: lease lost": refused[source, default: 0] += 1
            default: break
            }
        }
        var problems: [String] = []
        for (organization, asked) in Dictionary(grouping: requests, by: \.organization) {
            let callers = asked.sorted { $0.sequence < $1.sequence }.map(\.caller)
            let switches = zip(callers, callers.dropFirst()).filter { $0 != $1 }.count
            let handovers = max(0, (tokens[organization]?.count ?? 0) - 1)
            let stale = refused[organization] ?? 0
            if switches > handovers + 2 * stale {
                problems.append(
                    "\(organization): \(switches) switches between replicas, \(handovers) handovers, "
                        + "\(stale) refused commit(s)")
            }
        }
        return problems.sorted()
    }

    /// Per source, the `committed` lines (debug level: every commit) in log-time order (seconds): a token belongs to one replica, and once a newer token
    /// has committed, an older one never commits again.
    static func tokenOrder(_ records: [LogRecord]) -> [String] {
        var problems: [String] = []
        let commits = records.filter { $0.message == "committed" && $0["source"] != nil && $0["token"] != nil }
        for (source, lines) in Dictionary(grouping: commits, by: { $0["source"]! }) {
            var holders: [String: Set<String>] = [:]
            for line in lines { holders[line["token"]!, default: []].insert(line["replica"] ?? "?") }
            for (token, replicas) in holders where replicas.count > 1 {
                problems.append("\(source): token \(token) used by \(replicas.sorted())")
            }
            let ordered = lines.sorted { ($0["time"] ?? "", token($0)) < ($1["time"] ?? "", token($1)) }
            var newest: Int64 = .min
            for line in ordered {
                let value = token(line)
                if value < newest { problems.append("\(source): token \(value) committed after \(newest)") }
                newest = max(newest, value)
            }
        }
        return problems.sorted()
    }

    private static func token(_ line: LogRecord) -> Int64 { Int64(line["token"] ?? "") ?? .min }
}
