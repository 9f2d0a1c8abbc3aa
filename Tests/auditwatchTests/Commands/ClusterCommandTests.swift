import AuditwatchApp
import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

/// A config of `count` organizations on one audit-log stand-in, its state in PostgreSQL.
private func clusterProject(
    state url: String, standIn: AuditLogStandIn, count: Int
) throws -> (directory: URL, config: String) {
    let directory = try makeTemporaryDirectory("aw-cluster")
    try FileManager.default.copyItem(
        at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
        to: directory.appendingPathComponent("rules"))
    let config = directory.appendingPathComponent("auditwatch.yml").path
    let sources = (1...count).map {
        "  org-\($0): {admin_key: \"${ACME_KEY}\", base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}"
    }
    try """
    rules: [rules]
    state: \(url)
    state_password: ${AW_STATE_PASSWORD}
    cluster: {lease: 10s, renew: 2s}
    server: {listen: "127.0.0.1:0"}
    sources:
    \(sources.joined(separator: "\n"))
    """.write(toFile: config, atomically: true, encoding: .utf8)
    return (directory, config)
}

private func count(_ message: String, replica: String, in log: String) -> Int {
    log.split(separator: "\n").filter {
        $0.contains(#""msg":"\#(message)""#) && $0.contains(#""replica":"\#(replica)""#)
    }
    .count
}

@Suite("Replicas sharing a PostgreSQL state (real processes and server)", .serialized)
struct ClusterCommandTests {
    @Test(
        "two `run --replica` processes split four organizations, each held by exactly one; cluster status shows it; a stopped replica hands over"
    )
    func twoReplicas() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<3 { standIn.add(id: "e\(index)", at: now - 600 + Int64(index * 10)) }
        let (directory, config) = try clusterProject(state: url, standIn: standIn, count: 4)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["ACME_KEY": standIn.adminKey, "AW_STATE_PASSWORD": "unused-by-trust-auth"]
        func replica(_ name: String) throws -> ChildProcess {
            try ChildProcess(
                ["run", "--config", config, "--replica", name, "--log-format", "json", "--log-level", "debug"],
                environment: environment)
        }
        let first = try replica("r1")
        defer { first.stop() }
        #expect(
            first.waitForStderr(timeout: 60) { count("lease acquired", replica: "r1", in: $0) == 4 }, "\(first.stderr)")
        let second = try replica("r2")
        defer { second.stop() }
        #expect(
            second.waitForStderr(timeout: 60) { count("lease acquired", replica: "r2", in: $0) == 2 },
            "\(second.stderr)")
        #expect(first.waitForStderr { count("lease released", replica: "r1", in: $0) == 2 })
        // Polls and commits carry the replica and its token.
        #expect(
            second.waitForStderr {
                $0.contains(#""msg":"committed""#) && $0.contains(#""replica":"r2""#) && $0.contains(#""token":"2""#)
            }, "\(second.stderr)")

        // In process: cluster status over the same config.
        let out = CapturedLines()
        try ClusterStatus.run(config: config, json: true, out: out, environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.text.utf8)) as? [String: Any])
        let organizations = try #require(object["organizations"] as? [[String: Any]])
        #expect(organizations.count == 4)
        let holders = organizations.compactMap { $0["holder"] as? String }
        #expect(holders.filter { $0 == "r1" }.count == 2 && holders.filter { $0 == "r2" }.count == 2, "\(out.text)")
        #expect(organizations.allSatisfy { ($0["lag"] as? Double).map { $0 >= 0 && $0 < 60 } == true }, "\(out.text)")
        let replicas = try #require(object["replicas"] as? [[String: Any]])
        #expect(Set(replicas.compactMap { $0["name"] as? String }) == ["r1", "r2"])
        let text = CapturedLines()
        try ClusterStatus.run(config: config, json: false, out: text, environment: environment)
        #expect(text.lines.first == "replicas: 2 live of 2", "\(text.text)")
        #expect(text.lines.filter { $0.contains("held by r2  token 2") }.count == 2, "\(text.text)")

        // /readyz of a replica whose leases are healthy.
        let ready = try LoopbackHTTPRequest.send(
            "GET", try #require(ServiceLog.healthAddress(in: second.stderr)), "/readyz")
        #expect(ready.status == 200, "\(ready.body)")
        let metrics = try LoopbackHTTPRequest.send(
            "GET", try #require(ServiceLog.healthAddress(in: second.stderr)), "/metrics")
        #expect(metrics.body.contains(#"auditwatch_cluster_organizations_held{replica="r2"} 2"#), "\(metrics.body)")

        // SIGTERM: r2 releases its leases on the way out, and r1 takes them back.
        #expect(second.signal(SIGTERM, waitUpTo: 30) != nil)
        #expect(count("lease released", replica: "r2", in: second.stderr) == 2, "\(second.stderr)")
        #expect(
            first.waitForStderr(timeout: 30) { count("lease acquired", replica: "r1", in: $0) == 6 }, "\(first.stderr)")
        #expect(first.signal(SIGTERM, waitUpTo: 30) != nil)
        #expect(!first.stderr.contains(standIn.adminKey) && !second.stderr.contains("unused-by-trust-auth"))
    }

    @Test(
        "a state_password that cannot be resolved stops cluster status, alerts, silence and migrate, naming the reference"
    )
    func unresolvedPassword() throws {
        let directory = try makeTemporaryDirectory("aw-cluster-password")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        state: postgresql://auditwatch@127.0.0.1:1/none
        state_password: ${AW_UNSET_PASSWORD_FOR_TEST}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        // Every command that opens the config's state reads state_password.
        for command in [["cluster", "status"], ["alerts", "list"], ["silence", "list"], ["migrate"]] {
            let result = try CommandRunner.run(command + ["--config", config])
            #expect(result.status != 0, "\(command)")
            #expect(result.stderr.contains("AW_UNSET_PASSWORD_FOR_TEST"), "\(command): \(result.stderr)")
        }
        let sqlite = directory.appendingPathComponent("file.yml").path
        try "state: s.sqlite\n".write(toFile: sqlite, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["cluster", "status", "--config", sqlite])
        #expect(refused.status != 0 && refused.stderr.contains("needs a PostgreSQL state"), "\(refused.stderr)")
    }
}
