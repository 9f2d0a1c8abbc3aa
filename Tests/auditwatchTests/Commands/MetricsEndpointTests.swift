import AuditwatchCore
import AuditwatchHTTP
import AuditwatchTestSupport
import Foundation
import Testing

/// The value of one series in a Prometheus text exposition (`name{labels}` as written).
private func value(_ series: String, in text: String) -> Double? {
    text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
}

@Suite("/metrics of a running service", .serialized)
struct MetricsEndpointTests {
    @Test("promtool check metrics is clean; sent, retried and dead-lettered deliveries are counted as such")
    func scrapedByPromtool() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        // One webhook that is down (503: retried until the budget is spent), one that refuses (400: dead at once).
        let down = try LoopbackHTTPServer { _, _ in .respond(status: 503, body: "unavailable") }
        defer { down.stop() }
        let refusing = try LoopbackHTTPServer { _, _ in .respond(status: 400, body: "bad payload") }
        defer { refusing.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        let directory = try makeTemporaryDirectory("aw-metrics")
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
        delivery: {retry_for: 2s, backoff_base: 1s, backoff_cap: 1s}
        http: {timeout: 5s}
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
        notifiers:
          console: {type: stdout}
          down: {type: webhook, url: "\(down.baseURL)/hook"}
          refusing: {type: webhook, url: "\(refusing.baseURL)/hook"}
        default_notifiers: [console, down, refusing]
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = ["run", "--config", config, "--backfill-notify"]
        var environment = ProcessInfo.processInfo.environment
        environment["ACME_KEY"] = standIn.adminKey
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdout = OutputCollector(out), stderr = OutputCollector(err)
        _ = stdout
        try process.run()
        defer {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
        }
        #expect(stderr.wait { $0.contains("\"msg\":\"serving /healthz") })
        let address = try #require(ServiceLog.healthAddress(in: stderr.text))
        let http = try HTTPClient()
        func scrape() throws -> String { try http.perform(HTTPRequest(url: "http://\(address)/metrics")).bodyText }

        // Before the first alert went anywhere, its series are there at zero.
        let early = try scrape()
        #expect(early.contains(#"auditwatch_deliveries_total{notifier="down",outcome="failed"}"#), "\(early)")

        // Wait until every delivery to the down webhook has been given up on.
        var text = try scrape()
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline {
            text = try scrape()
            let alerts = value(#"auditwatch_deliveries_total{notifier="console",outcome="sent"}"#, in: text) ?? 0
            if alerts > 0, value(#"auditwatch_deliveries_total{notifier="down",outcome="failed"}"#, in: text) == alerts,
                value("auditwatch_outbox_depth", in: text) == 0
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let alerts = try #require(value(#"auditwatch_deliveries_total{notifier="console",outcome="sent"}"#, in: text))
        #expect(alerts >= 1, "\(text)")
        #expect(
            value(#"auditwatch_deliveries_total{notifier="down",outcome="retry"}"#, in: text) ?? 0 >= 1,
            "the down webhook was retried")
        #expect(
            value(#"auditwatch_deliveries_total{notifier="down",outcome="failed"}"#, in: text) == alerts,
            "retries that ran out count as failed")
        #expect(value(#"auditwatch_deliveries_total{notifier="refusing",outcome="failed"}"#, in: text) == alerts)
        #expect(value(#"auditwatch_deliveries_total{notifier="refusing",outcome="retry"}"#, in: text) == 0)
        #expect(value("auditwatch_dead_letters", in: text) == alerts * 2, "every failed delivery is a dead letter")
        #expect(value(#"auditwatch_polls_total{source="acme"}"#, in: text) ?? 0 >= 1)
        #expect(value(#"auditwatch_poll_errors_total{source="acme"}"#, in: text) == 0)
        #expect(value(#"auditwatch_events_read_total{source="acme"}"#, in: text) == 5)
        #expect(
            value(#"auditwatch_last_successful_poll_timestamp_seconds{source="acme"}"#, in: text) ?? 0
                >= Double(now - 5))
        #expect(value(#"auditwatch_alerts_total{rule="brute_force_user",level="high"}"#, in: text) == 1)
        #expect(
            value(#"auditwatch_alerts_total{rule="scim_disabled",level="high"}"#, in: text) == 0,
            "rules that never fired are at zero")
        #expect(value(#"auditwatch_delivery_latency_seconds_count{notifier="refusing"}"#, in: text) == alerts)
        #expect(value("auditwatch_config_last_reload_successful", in: text) == 1)
        #expect(text.contains(#"auditwatch_build_info{version=""#))
        #expect((value("process_resident_memory_bytes", in: text) ?? 0) > 0)

        // A broken rule file and a reload: the gauge says so.
        try "title: broken\nid: broken\ndetection:\n  sel: {type: x}\n  condition: sel and nope\n"
            .write(to: directory.appendingPathComponent("rules/broken.yml"), atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        var reloaded = false
        for _ in 0..<100 where !reloaded {
            Thread.sleep(forTimeInterval: 0.1)
            text = try scrape()
            reloaded = value(#"auditwatch_reloads_total{outcome="failed"}"#, in: text) == 1
        }
        #expect(reloaded, "\(text)")
        #expect(value("auditwatch_config_last_reload_successful", in: text) == 0)

        // Fixed, and reloaded through `auditwatch reload`, which waits for the answer.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("rules/broken.yml"))
        let reload = try CommandRunner.run(["reload", "--config", config])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(reload.stderr.contains("auditwatch: reloaded: "), "\(reload.stderr)")
        text = try scrape()
        #expect(value(#"auditwatch_reloads_total{outcome="ok"}"#, in: text) == 1)
        #expect(value("auditwatch_config_last_reload_successful", in: text) == 1)

        let checked = try ExternalTool.run("promtool", ["check", "metrics"], input: text)
        #expect(checked.status == 0, "promtool check metrics: \(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.isEmpty && checked.stderr.isEmpty, "no lint finding: \(checked.stdout)\(checked.stderr)")

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
