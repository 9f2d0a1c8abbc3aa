import AuditwatchTestSupport
import Foundation
import Testing

/// `make bench-cluster` sets it: "ORGSxREPLICAS,…" shapes to measure (figures, never pass/fail).
private let shapes = ProcessInfo.processInfo.environment["AUDITWATCH_CLUSTER_BENCH"]

/// The sizing table of docs/scaling.md: replicas of the real binary on one PostgreSQL (with
/// pg_stat_statements), the default lease (30 s, renewed every 10 s), one-second polls.
/// Per shape: the backlog of every organization (150 events each) read, matched by the shipped
/// pack and committed, as events per second; then a steady minute-like window of one event per
/// organization per wave, where PostgreSQL's statements and rows are counted per poll; each
/// replica's resident memory (VmRSS, peak VmHWM) at the end.
@Suite("Cluster sizing (make bench-cluster)", .serialized, .enabled(if: shapes != nil))
struct ClusterSizingBenchmark {
    @Test("organizations per replica, events/s, memory, PostgreSQL load per poll")
    func sizing() throws {
        let list = (shapes ?? "").split(separator: ",").compactMap { shape -> (Int, Int)? in
            let parts = shape.split(separator: "x").compactMap { Int($0) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        var rows: [String] = []
        for (organizations, replicas) in list.isEmpty ? [(50, 1), (50, 3), (200, 1), (200, 3)] : list {
            rows.append(try measure(organizations: organizations, replicas: replicas))
            print(rows.last!)
        }
        print(
            """
            | organizations | replicas | per replica | backlog events | events/s | RSS per replica (max) | peak RSS | \
            statements per poll | rows per poll | transactions per poll | lease keeper statements per replica-minute |
            |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            \(rows.joined(separator: "\n"))
            """)
    }

    private func measure(organizations count: Int, replicas: Int) throws -> String {
        let perOrganization = 150
        let plan = ClusterEventPlan(organizations: count, waves: 1)
        let scenario = try ClusterScenario(
            plan: plan, populate: false, lease: "30s", renew: "10s",
            postgresSettings: ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_utility=on"])
        defer { scenario.stop() }
        _ = try scenario.postgres.query("CREATE EXTENSION pg_stat_statements", database: scenario.database)
        // The backlog (wave 1): sign-ins, sign-outs, failed sign-ins of many users (no burst),
        // one SCIM change; then one sign-out per organization per wave.
        for organization in plan.organizations {
            for n in 0..<perOrganization {
                let type = ["logout.succeeded", "login.succeeded", "login.failed"][n % 3]
                scenario.standIn.add(
                    organization: organization, id: "\(organization)-b\(n)", at: plan.base + Int64(n * 10), type: type,
                    email: "user\(n)-\(organization)@acme.example", wave: 1)
            }
            scenario.standIn.add(
                organization: organization, id: "\(organization)-scim", at: plan.base + 1505, type: "scim.disabled",
                email: "admin-\(organization)@acme.example", wave: 1)
            for wave in 2...40 {
                scenario.standIn.add(
                    organization: organization, id: "\(organization)-s\(wave)", at: plan.base + 1600 + Int64(wave),
                    type: "logout.succeeded", email: "staff-\(organization)@acme.example", wave: wave)
            }
        }
        let cluster = scenario.cluster(arguments: ["--backfill-notify"])
        defer { cluster.stopAll() }
        let names = (1...replicas).map { "r\($0)" }
        for name in names { try cluster.start(name) }
        let share = (count + replicas - 1) / replicas
        try ClusterScenario.wait(timeout: 300, cluster: cluster) {
            let held = names.map { LeaseLog.held(cluster, $0) }
            return held.reduce(0) { $0 + $1.count } == count && held.allSatisfy { $0.count <= share }
        }

        // Backlog: done for an organization when its poll after the backlog pages starts.
        let pages = (perOrganization + 1 + 99) / 100
        let start = Date().timeIntervalSince1970
        scenario.standIn.advance()
        try ClusterScenario.wait(timeout: 600, cluster: cluster) {
            let asked = Dictionary(grouping: scenario.standIn.requests.filter { $0.wave >= 1 }, by: \.organization)
            return asked.count == count && asked.values.allSatisfy { $0.count > pages }
        }
        let finished =
            Dictionary(grouping: scenario.standIn.requests.filter { $0.wave >= 1 }, by: \.organization)
            .values.map { $0.sorted { $0.sequence < $1.sequence }[pages].time }.max() ?? start
        let events = count * (perOrganization + 1)
        let rate = Double(events) / max(0.001, finished - start)

        // Steady polls: statements counted from a reset, over at least 20 polls per organization.
        _ = try scenario.postgres.query("SELECT pg_stat_statements_reset()", database: scenario.database)
        let first = scenario.standIn.requests.count
        let windowStart = Date().timeIntervalSince1970
        var wave = 1
        try ClusterScenario.wait(timeout: 600, cluster: cluster) {
            let recent = scenario.standIn.requests.dropFirst(first)
            let perOrganization = Dictionary(grouping: recent, by: \.organization).values.map(\.count)
            if recent.count >= (wave) * count && wave < 40 {
                wave += 1
                scenario.standIn.advance()
            }
            return perOrganization.count == count && perOrganization.allSatisfy { $0 >= 20 }
        }
        let stats = try scenario.postgres.query(
            """
            SELECT regexp_replace(query, '\\s+', ' ', 'g'), calls, rows FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, database: scenario.database)
        let windowSeconds = Date().timeIntervalSince1970 - windowStart
        let polls = Double(scenario.standIn.requests.count - first)
        // What a poll costs, statement by statement (the commit's, the outbox's, the lease keeper's).
        let statements = stats.filter { $0.count == 3 && !$0[0].contains("pg_stat_statements") }
        for row in statements.sorted(by: { (Double($0[1]) ?? 0) > (Double($1[1]) ?? 0) }).prefix(14) {
            let text = row[0]
            print(
                String(
                    format: "  %6.2f calls/poll %6.2f rows/poll  ", (Double(row[1]) ?? 0) / max(1, polls),
                    (Double(row[2]) ?? 0) / max(1, polls)) + String(text.prefix(110)))
        }
        var calls = 0.0, rowCount = 0.0, transactions = 0.0, lease = 0.0
        for row in stats where row.count == 3 {
            let query = row[0].lowercased(), made = Double(row[1]) ?? 0
            if query.contains("pg_stat_statements") { continue }
            calls += made
            rowCount += Double(row[2]) ?? 0
            if query.hasPrefix("commit") { transactions += made }
            // The keeper's own statements (the commit's fence check reads `leases` too: not counted).
            if (query.contains("leases") || query.contains("replicas")) && !query.contains("for share") {
                lease += made
            }
        }
        var rss: [Double] = [], peak: [Double] = []
        for name in names {
            guard let pid = cluster.replica(name)?.pid,
                let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            else { continue }
            func kibibytes(_ field: String) -> Double {
                let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
                return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            }
            rss.append(kibibytes("VmRSS") / 1024)
            peak.append(kibibytes("VmHWM") / 1024)
        }
        cluster.stopAll()
        let minutes = windowSeconds / 60
        return "| \(count) | \(replicas) | \(share) | \(events) | " + String(format: "%.0f", rate) + " | "
            + String(format: "%.0f MiB", rss.max() ?? 0) + " | " + String(format: "%.0f MiB", peak.max() ?? 0) + " | "
            + String(format: "%.1f", calls / max(1, polls)) + " | " + String(format: "%.1f", rowCount / max(1, polls))
            + " | " + String(format: "%.2f", transactions / max(1, polls)) + " | "
            + String(format: "%.0f", lease / Double(replicas) / max(0.01, minutes)) + " |"
    }
}
