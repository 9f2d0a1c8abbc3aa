import AuditwatchTestSupport
import Foundation
import Testing

@Suite("A state store outage under a running service (real binary and PostgreSQL)", .serialized)
struct StoreOutageTests {
    @Test(
        "the PostgreSQL state refuses connections mid-run: the service stays up and unready, and once the store is back the alert raised meanwhile is delivered once"
    )
    func outage() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let database = try #require(url.split(separator: "/").last.map(String.init))
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let hook = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { hook.stop() }
        let directory = try makeTemporaryDirectory("aw-store-outage")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
            to: directory.appendingPathComponent("rules"))
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [rules]
        state: \(url)
        cluster: {lease: 3s, renew: 1s}
        server: {listen: "127.0.0.1:0"}
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
        notifiers:
          hook: {type: webhook, url: "\(hook.baseURL)/hook"}
        default_notifiers: [hook]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let child = try ChildProcess(
            ["run", "--config", config, "--replica", "r1", "--log-format", "json", "--log-level", "debug"],
            environment: ["ACME_KEY": standIn.adminKey])
        defer { child.stop() }
        #expect(child.waitForStderr(timeout: 60) { $0.contains(#""msg":"committed""#) }, "\(child.stderr)")
        let address = try #require(ServiceLog.healthAddress(in: child.stderr), "\(child.stderr)")

        // The outage: no new session, and every session of the service ended.
        _ = try server.query("ALTER DATABASE \(database) ALLOW_CONNECTIONS false", database: "postgres")
        _ = try server.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'",
            database: "postgres")
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "outage-\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        #expect(
            child.waitForStderr(timeout: 60) { $0.contains("state store failed") || $0.contains("lease round failed") },
            "\(child.stderr)")
        #expect(
            eventually(timeout: 60, every: 0.2) {
                (try? LoopbackHTTPRequest.send("GET", address, "/readyz"))?.status == 503
            },
            "/readyz stays 200 while the store is gone")
        #expect(child.isRunning, "a store outage ended the service: \(child.stderr.suffix(3000))")
        #expect(hook.requests.isEmpty, "an alert was sent that the store never recorded")

        // The store is back: the events are read again from the saved cursor, the alert is
        // recorded and sent, once.
        _ = try server.query("ALTER DATABASE \(database) ALLOW_CONNECTIONS true", database: "postgres")
        #expect(eventually(timeout: 60, every: 0.2) { hook.requests.count >= 1 }, "\(child.stderr.suffix(4000))")
        #expect(
            eventually(timeout: 60, every: 0.2) {
                (try? LoopbackHTTPRequest.send("GET", address, "/readyz"))?.status == 200
            })
        let commits = child.stderr.components(separatedBy: #""msg":"committed""#).count
        #expect(
            child.waitForStderr(timeout: 60) { $0.components(separatedBy: #""msg":"committed""#).count >= commits + 3 })
        #expect(hook.requests.count == 1, "\(hook.requests.map(\.bodyText))")
        #expect(hook.requests.first?.bodyText.contains("dana@acme.example") == true)
        #expect(child.isRunning)
        #expect(child.signal(SIGTERM, waitUpTo: 30) != nil)
        #expect(child.process.terminationStatus == 0, "\(child.stderr.suffix(3000))")
    }
}
