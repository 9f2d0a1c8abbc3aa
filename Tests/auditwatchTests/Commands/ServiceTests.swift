import AuditwatchCore
import AuditwatchHTTP
import AuditwatchTestSupport
import Foundation
import Testing

@Suite("The service: metrics, reload, stop", .serialized)
struct ServiceTests {
    @Test("metrics move with the events; a broken reload keeps the old rules; SIGTERM exits cleanly")
    func lifecycle() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        let directory = try makeTemporaryDirectory("aw-service")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
            to: directory.appendingPathComponent("rules"))
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [rules]
        state: state.sqlite
        server: {listen: "127.0.0.1:0"}
        logging: {format: json}
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
        notifiers:
          console: {type: stdout}
        default_notifiers: [console]
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let child = try ChildProcess(
            ["run", "--config", config, "--backfill-notify"], environment: ["ACME_KEY": standIn.adminKey])
        defer { child.stop() }
        let stdout = Collected(child: child, output: true), stderr = Collected(child: child, output: false)

        #expect(stderr.wait { $0.contains("\"msg\":\"serving /healthz") })
        let address = try #require(ServiceLog.healthAddress(in: stderr.text))
        let base = "http://" + address
        let http = try HTTPClient()
        #expect(stdout.wait { $0.contains("\"brute_force_user\"") })
        #expect(try http.perform(HTTPRequest(url: base + "/healthz")).status == 200)
        #expect(stderr.wait { $0.contains("\"msg\":\"polled\"") })
        #expect(try http.perform(HTTPRequest(url: base + "/readyz")).status == 200)
        let metrics = try http.perform(HTTPRequest(url: base + "/metrics")).bodyText
        #expect(metrics.contains(#"auditwatch_events_read_total{source="acme"} 5"#), "\(metrics)")
        #expect(
            metrics.contains(#"auditwatch_alerts_total{rule="brute_force_user",level="high"} 1"#)
                || metrics.contains(#"auditwatch_alerts_total{level="high",rule="brute_force_user"} 1"#))
        #expect(metrics.contains("auditwatch_deliveries_total"))

        standIn.add(id: "more-1", at: now - 5, type: "logout.succeeded")
        standIn.add(id: "more-2", at: now - 4, type: "logout.succeeded")
        var moved = false
        for _ in 0..<60 where !moved {
            Thread.sleep(forTimeInterval: 0.1)
            moved = try http.perform(HTTPRequest(url: base + "/metrics")).bodyText.contains(
                #"auditwatch_events_read_total{source="acme"} 7"#)
        }
        #expect(moved, "the counter follows new events")

        // Break a rule file and reload: the service keeps the rules it runs.
        try "title: broken\nid: broken\ndetection:\n  sel: {type: x}\n  condition: sel and nope\n".write(
            to: directory.appendingPathComponent("rules/broken.yml"), atomically: true, encoding: .utf8)
        let reload = try CommandRunner.run(["reload", "--config", config])
        #expect(reload.status == 1, "reload reports the refusal: \(reload.stderr)")
        #expect(
            reload.stderr.contains("the reload failed; the running rules, routes and notifiers stay in force"),
            "\(reload.stderr)")
        #expect(reload.stderr.contains("broken.yml:5:"), "and shows the located problems")
        #expect(stderr.wait { $0.contains("reload failed; the running rules") })
        #expect(stderr.text.contains("broken.yml:5:"), "the reload's problems are reported located")
        standIn.add(id: "scim", at: now - 1, type: "scim.disabled")
        #expect(stdout.wait { $0.contains("\"scim_disabled\"") }, "the old rules still work after a failed reload")

        #expect(child.signal(SIGTERM, waitUpTo: 10) != nil)
        #expect(child.process.terminationStatus == 0)
        #expect(stderr.wait { $0.contains("\"msg\":\"stopped\"") && $0.contains("\"pending_deliveries\":\"0\"") })
        #expect(!stderr.text.contains(standIn.adminKey))
    }
}

/// One of a child's streams, waited on like a log.
private struct Collected {
    let child: ChildProcess
    let output: Bool
    var text: String { output ? child.stdout : child.stderr }
    @discardableResult
    func wait(_ predicate: (String) -> Bool) -> Bool {
        output ? child.waitForStdout(predicate) : child.waitForStderr(predicate)
    }
}
