import AuditwatchTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The events of a cluster test, a pure function of the organizations and the wave count.
///
/// Every organization gets, in wave w (dated `base + 60 w` and after):
/// - a heartbeat (`logout.succeeded`, which no shipped rule matches) that moves its cursor on;
/// - for a third of the waves, `scim.disabled` (the shipped `scim_disabled` rule: one alert each),
///   half of them served one wave late (dated before the heartbeat the poller has already read);
/// - once, in wave `1 + k % (waves - 2)`, five failed sign-ins of one user (`brute_force_user`:
///   one alert), the fifth served two waves late.
/// A late event is dated inside the pollers' re-read overlap (15 minutes): the poller must find it.
/// The late sign-in is the newest of its group, so the correlation sees its group in time order
/// whether the fifth arrives late or not: the alert (and its id) is the same.
struct ClusterEventPlan {
    let organizations: [String]
    let waves: Int
    /// Events are dated from here on: an hour and a half ago, inside the two hours `start` reads
    /// back and older than the engine's lateness, so every match is released on the poll that
    /// reads it (no result depends on when a poll ran).
    let base: Int64

    init(organizations: Int, waves: Int, now: Int64 = Int64(Date().timeIntervalSince1970)) {
        self.organizations = (0..<organizations).map { String(format: "org%03d", $0) }
        self.waves = waves
        base = now - 5400
    }

    /// How many alerts the shipped pack raises over these events: one per `scim.disabled`, one
    /// per burst.
    var expectedAlerts: Int {
        organizations.indices.reduce(0) { total, k in
            total + (1...waves).filter { (k + $0) % 3 == 0 }.count + 1
        }
    }

    /// Adds every event to `standIn`; with `allAtOnce`, each is visible from wave 1 (the
    /// reference run's view: the same events, none late).
    func populate(_ standIn: OrganizationsStandIn, allAtOnce: Bool = false) {
        for (k, organization) in organizations.enumerated() {
            func add(_ id: String, _ time: Int64, _ type: String, _ email: String, wave: Int) {
                standIn.add(
                    organization: organization, id: id, at: time, type: type, email: email,
                    wave: allAtOnce ? 1 : wave)
            }
            let burst = 1 + k % max(1, waves - 2)
            for w in 1...waves {
                let start = base + Int64(w) * 60
                add(
                    "\(organization)-w\(w)-hb", start + 30, "logout.succeeded", "staff-\(organization)@acme.example",
                    wave: w)
                if (k + w) % 3 == 0 {
                    let late = (k + w) % 2 == 0 && w < waves
                    add(
                        "\(organization)-w\(w)-scim", start + 10, "scim.disabled",
                        "admin-\(organization)-\(w)@acme.example",
                        wave: late ? w + 1 : w)
                }
                if w == burst {
                    for n in 1...5 {
                        add(
                            "\(organization)-burst-\(n)", start + Int64(n), "login.failed",
                            "victim-\(organization)@acme.example", wave: n == 5 ? min(w + 2, waves) : w)
                    }
                }
            }
        }
    }
}

/// What a cluster test starts (a PostgreSQL server, the API stand-in, the webhook receiver) and
/// the config every replica shares; everything is stopped by `stop` or deinit.
final class ClusterScenario: @unchecked Sendable {
    // @unchecked: set up once in init; the parts it holds are thread-safe themselves.
    let postgres: PostgresServer
    let database: String
    let standIn: OrganizationsStandIn
    let receiver: WebhookReceiver
    let directory: URL
    let config: String
    let plan: ClusterEventPlan
    let lease: String

    /// `lease` and `renew` are the `cluster:` periods (short: the tests wait for takeovers);
    /// `populate: false` leaves the stand-in empty (the benchmark adds its own events).
    init(
        plan: ClusterEventPlan, populate: Bool = true, lease: String = "3s", renew: String = "1s",
        postgresSettings: [String] = [],
        answerDelay: @escaping @Sendable (Int) -> Double = { Double(($0 * 7919) % 40) / 1000 }
    ) throws {
        self.plan = plan
        self.lease = lease
        postgres = try PostgresServer(settings: postgresSettings)
        database = try postgres.createDatabase()
        standIn = try OrganizationsStandIn(organizations: plan.organizations)
        if populate { plan.populate(standIn) }
        // Answers after 0–40 ms: a kill can land inside a delivery's HTTP request.
        receiver = try WebhookReceiver(delay: answerDelay)
        directory = try makeTemporaryDirectory("aw-cluster")
        config = directory.appendingPathComponent("auditwatch.yml").path
        try ClusterScenario.configText(
            state: database, cluster: "cluster: {lease: \(lease), renew: \(renew)}", plan: plan,
            baseURL: standIn.baseURL
        ).write(toFile: config, atomically: true, encoding: .utf8)
    }

    deinit { stop() }

    func stop() {
        standIn.stop()
        receiver.stop()
        postgres.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The config every replica runs: the shipped pack, one source per organization (its admin
    /// key from the environment), one webhook notifier (its URL from the environment).
    static func configText(state: String, cluster: String, plan: ClusterEventPlan, baseURL: String) -> String {
        let sources = plan.organizations.map { organization in
            "  \(organization): {admin_key: \"${\(organization.uppercased())_KEY}\", base_url: \(baseURL), "
                + "poll_interval: 1s, start: 2h, overlap: 15m}"
        }
        return """
            rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
            state: \(state)
            \(cluster)
            logging: {format: json}
            sources:
            \(sources.joined(separator: "\n"))
            notifiers:
              hook: {type: webhook, url: "${HOOK_URL}", rate_limit: 500/s}
            default_notifiers: [hook]

            """
    }

    /// Replica `name`'s environment: its admin keys (the stand-in tells the replicas apart by
    /// them) and its webhook URL (so does the receiver).
    static func environment(
        for name: String, standIn: OrganizationsStandIn, receiver: WebhookReceiver
    ) -> [String: String] {
        var environment = ["HOOK_URL": receiver.url(for: name)]
        for organization in standIn.organizations {
            environment[organization.uppercased() + "_KEY"] = standIn.adminKey(organization: organization, caller: name)
        }
        return environment
    }

    /// The replicas of this scenario (not started yet).
    /// Debug level: every commit is logged (with its token), not only those with alerts.
    func cluster(arguments: [String] = ["--backfill-notify", "--log-level", "debug"]) -> ReplicaCluster {
        let standIn = self.standIn, receiver = self.receiver
        return ReplicaCluster(config: config, arguments: arguments) { name in
            ClusterScenario.environment(for: name, standIn: standIn, receiver: receiver)
        }
    }

    /// The alerts a single process raises over the same events, all visible at once: one
    /// `auditwatch run --once` on a SQLite file of its own, against a stand-in of its own, its
    /// deliveries counted by a receiver of its own. Returns the ids delivered.
    func referenceAlerts() throws -> (ids: Set<String>, deliveries: Int, output: CommandRunner.Outcome) {
        let standIn = try OrganizationsStandIn(organizations: plan.organizations)
        let receiver = try WebhookReceiver()
        defer { standIn.stop(); receiver.stop() }
        plan.populate(standIn, allAtOnce: true)
        standIn.advance()
        let path = directory.appendingPathComponent("reference.yml").path
        try ClusterScenario.configText(
            state: directory.appendingPathComponent("reference.sqlite").path, cluster: "", plan: plan,
            baseURL: standIn.baseURL
        ).write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(
            ["run", "--config", path, "--once", "--backfill-notify", "--wait-deliveries", "60s"],
            environment: ClusterScenario.environment(for: "reference", standIn: standIn, receiver: receiver))
        let deliveries = receiver.deliveries
        return (Set(deliveries.map(\.alertID)), deliveries.count, outcome)
    }

    /// Deliveries of the cluster's outbox not yet sent (or failed): none left means done.
    func unsentDeliveries() throws -> Int {
        Int(
            try postgres.query("SELECT count(*) FROM deliveries WHERE status = 'pending'", database: database)
                .first?.first ?? "") ?? -1
    }

    /// Alert ids whose delivery is still pending (sent or not, its outcome not recorded).
    func pendingAlertIDs() throws -> Set<String> {
        Set(
            try postgres.query("SELECT alert_id FROM deliveries WHERE status = 'pending'", database: database)
                .compactMap(\.first))
    }

    /// Waits until `condition` holds, checking every 200 ms, at most `timeout` seconds (a bound on
    /// a hang, never on speed: the tests' timeouts are minutes). Returns whether it held.
    /// With `cluster`, a replica that exits on its own ends the wait at once (the test fails).
    @discardableResult
    static func wait(
        timeout: Double, cluster: ReplicaCluster? = nil, _ condition: () throws -> Bool
    ) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            if let exit = cluster?.unexpectedExit { throw ReplicaExited(description: exit) }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try condition()
    }

    struct ReplicaExited: Error, CustomStringConvertible {
        var description: String
    }
}

/// What the replicas' JSON logs say about leases.
enum LeaseLog {
    /// The lease lines of replica `name` (or all) so far.
    static func lines(_ cluster: ReplicaCluster, _ name: String? = nil) -> [LogRecord] {
        cluster.log(of: name, containing: #""msg":"lease "#)
    }

    /// The sources replica `name` holds now, by the log of its newest process (one killed before
    /// never logged giving its leases up).
    static func held(_ cluster: ReplicaCluster, _ name: String) -> Set<String> {
        held(cluster.log(of: name, containing: #""msg":"lease "#, newestOnly: true))
    }

    /// The sources `records` (one replica's log, in order) hold at its end.
    static func held(_ records: [LogRecord]) -> Set<String> {
        var held = Set<String>()
        for record in records {
            guard let source = record["source"] else { continue }
            switch record.message {
            case "lease acquired": held.insert(source)
            case "lease lost", "lease released": held.remove(source)
            default: break
            }
        }
        return held
    }
}
