import AuditwatchTestSupport
import Foundation
import Testing

@Suite("Polling the audit log: run --config --once, check, fetch, backtest", .serialized)
struct PollingCommandTests {
    private func config(_ standIn: AuditLogStandIn, extra: String = "") throws -> String {
        let directory = try makeTemporaryDirectory("aw-poll")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        sources:
          acme:
            admin_key: ${ACME_ADMIN_KEY}
            base_url: \(standIn.baseURL)
            start: 2h
            overlap: 15m
        \(extra)
        notifiers:
          console: {type: stdout}
        default_notifiers: [console]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func alertLines(_ outcome: CommandRunner.Outcome) throws -> [[String: Any]] {
        try outcome.stdoutLines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test(
        "polled events raise alerts that name their organization; later polls add only what is new, late events included"
    )
    func pollAndResume() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 1800 + Int64(index * 20), email: "dana@acme.example")
        }
        let path = try config(standIn)
        let env = ["ACME_ADMIN_KEY": standIn.adminKey]
        let first = try CommandRunner.run(["run", "--config", path, "--once", "--backfill-notify"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        let alerts = try alertLines(first)
        #expect(alerts.count == 1)
        #expect((alerts.first?["rule"] as? [String: Any])?["id"] as? String == "brute_force_user")
        #expect(alerts.first?["source"] as? String == "acme")
        #expect(first.stderr.contains("polled source=acme new_events=5"))
        #expect(!first.stderr.contains(standIn.adminKey))

        // The API now shows a failure older than the newest event processed (late), a success
        // after the burst, and an unrelated new event.
        standIn.add(id: "late", at: now - 1790, email: "dana@acme.example")
        standIn.add(id: "success", at: now - 1700, type: "login.succeeded", email: "dana@acme.example")
        standIn.add(id: "new", at: now - 60, type: "scim.disabled")
        let second = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("polled source=acme new_events=3"))
        let ids = try alertLines(second).compactMap { ($0["rule"] as? [String: Any])?["id"] as? String }
        #expect(Set(ids) == ["scim_disabled", "failures_then_success"])

        let third = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        #expect(!third.stderr.contains("polled source=acme"), "an empty poll logs at debug level only")
        #expect(third.stderr.contains("stopped"))
        #expect(third.stdout.isEmpty)
    }

    @Test("an outage longer than unavailable_after raises its own alert, once")
    func unavailable() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let path = try config(standIn, extra: "    unavailable_after: 1s")
        let env = ["ACME_ADMIN_KEY": "sk-admin-revoked"]
        let first = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        #expect(first.stderr.contains("ERROR poll failed source=acme error=\"the Admin API key was refused (HTTP 401)"))
        #expect(first.stdout.isEmpty)
        Thread.sleep(forTimeInterval: 1.1)
        let second = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        let alerts = try alertLines(second)
        #expect(alerts.count == 1)
        #expect((alerts.first?["rule"] as? [String: Any])?["id"] as? String == "auditwatch_source_unavailable")
        #expect((alerts.first?["summary"] as? String)?.contains("The audit log of acme has been unavailable") == true)
        let third = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        #expect(third.stdout.isEmpty, "one alert per outage")
    }

    @Test(
        "every command refuses a config with errors, located, instead of running without it",
        arguments: [
            ["backtest", "--events", "examples/logs/acme-day.jsonl", "--config"],
            ["fetch", "--since", "1h", "--config"],
            ["check", "--config"],
            ["alerts", "list", "--config"],
            ["notify", "test", "console", "--config"],
            ["reload", "--config"],
        ])
    func brokenConfig(arguments: [String]) throws {
        let directory = try makeTemporaryDirectory("aw-badcfg")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try "rules: [rules]\nnotifiers:\n  console: {type: stdout}\nroutes:\n  - {notifiers: [consol]}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(arguments + [path])
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        #expect(
            outcome.stderr.contains("auditwatch.yml:5:")
                && outcome.stderr.contains("unknown notifier 'consol'; did you mean 'console'?"))
        #expect(outcome.stdout.isEmpty)
    }

    @Test("check verifies the key; fetch exports JSON Lines oldest first; backtest counts without notifying")
    func checkFetchBacktest() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<150 {
            standIn.add(
                id: "h\(index)", at: now - 3000 + Int64(index),
                type: index % 50 == 0 ? "scim.disabled" : "login.succeeded")
        }
        let path = try config(standIn)
        let good = try CommandRunner.run(
            ["check", "--config", path], environment: ["ACME_ADMIN_KEY": standIn.adminKey])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stderr.contains("source acme: the admin key works"))
        let bad = try CommandRunner.run(["check", "--config", path], environment: ["ACME_ADMIN_KEY": "sk-admin-wrong"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("the admin key was refused (HTTP 401)"))

        let fetched = try CommandRunner.run(
            ["fetch", "--config", path, "--since", "2h"], environment: ["ACME_ADMIN_KEY": standIn.adminKey])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdoutLines.count == 150)
        #expect(
            fetched.stdoutLines.first?.contains("\"h0\"") == true
                && fetched.stdoutLines.last?.contains("\"h149\"") == true)
        let onlyScim = try CommandRunner.run(
            ["fetch", "--config", path, "--since", "2h", "--type", "scim.disabled"],
            environment: ["ACME_ADMIN_KEY": standIn.adminKey])
        #expect(standIn.requests.last?.target.contains("event_types%5B%5D=scim.disabled") == true)
        _ = onlyScim

        let backtest = try CommandRunner.run(
            ["backtest", "--config", path, "--since", "2h"], environment: ["ACME_ADMIN_KEY": standIn.adminKey])
        #expect(backtest.status == 0, "\(backtest.stderr)")
        #expect(
            !backtest.stderr.contains("\r") && !fetched.stderr.contains("\r"),
            "no progress drawing when stderr is not a terminal")
        #expect(backtest.stdoutLines.count == 3)
        #expect(backtest.stderr.contains("backtest over 150 events: 3 alerts would have been raised"))
        #expect(backtest.stderr.contains("scim_disabled"))
    }
}
