import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

/// A config polling `standIn` every second, with the given notifiers.
private func serviceConfig(
    _ standIn: AuditLogStandIn, notifiers: String, extra: String = ""
) throws -> (path: String, directory: URL) {
    try serviceConfig(baseURL: standIn.baseURL, notifiers: notifiers, extra: extra)
}

/// A config polling the audit log at `baseURL` every second, with the given notifiers.
private func serviceConfig(
    baseURL: String, notifiers: String, extra: String = ""
) throws -> (path: String, directory: URL) {
    let directory = try makeTemporaryDirectory("aw-reliable")
    let path = directory.appendingPathComponent("auditwatch.yml").path
    try """
    rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
    state: state.sqlite
    sources:
      acme: {admin_key: "${ACME_KEY}", base_url: \(baseURL), poll_interval: 1s, start: 1h}
    notifiers:
    \(notifiers)
    \(extra)
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return (path, directory)
}

@Suite("Reliability: a hung target, two instances, stale pid files", .serialized)
struct ReliabilityTests {
    @Test(
        "a target that never answers: polls stay on schedule, the console still gets its alert, SIGTERM exits within the drain deadline"
    )
    func hungTarget() throws {
        let standIn = try AuditLogStandIn()
        let hung = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "{}", delay: 60) }
        defer { standIn.stop(); hung.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        for index in 0..<4 { standIn.add(id: "s\(index)", at: now - 300 + Int64(index), type: "scim.disabled") }
        let (config, directory) = try serviceConfig(
            standIn,
            notifiers: """
                  hook: {type: webhook, url: "\(hung.baseURL)/hook"}
                  console: {type: stdout}
                default_notifiers: [hook, console]
                """, extra: "http: {timeout: 30s}\ndelivery: {drain: 2s}")
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(
            ["run", "--config", config, "--backfill-notify"], environment: ["ACME_KEY": standIn.adminKey])
        defer { child.stop() }
        #expect(
            child.waitForStdout { $0.contains("\"brute_force_user\"") },
            "the console is not held back by the hung webhook")
        #expect(child.waitForStdout { $0.components(separatedBy: "\"scim_disabled\"").count > 4 })
        let before = standIn.requests.count
        Thread.sleep(forTimeInterval: 3.2)
        let polls = standIn.requests.count - before
        #expect(polls >= 2, "polled \(polls) times in 3.2 s at a 1 s interval while the target hangs")
        #expect(hung.requests.count == 1, "one request at a time to the hung target")
        let took = child.signal(SIGTERM, waitUpTo: 10)
        #expect(took != nil && took! < 7, "SIGTERM took \(took ?? -1)s with drain 2s")
        #expect(child.process.terminationStatus == 0)
        print(
            "faults: hung target (30 s timeout): \(polls) polls in 3.2 s at a 1 s interval; SIGTERM exited in "
                + String(format: "%.2f", took ?? -1) + " s with delivery.drain 2s; 5 deliveries left in the outbox")
        #expect(child.stderr.contains("pending_deliveries=5"), "\(child.stderr)")
        let pending = try CommandRunner.run(
            ["alerts", "list", "--config", config, "--status", "pending"], environment: ["ACME_KEY": standIn.adminKey])
        #expect(
            pending.stdoutLines.filter { $0.hasPrefix("hook") }.count == 5,
            "what was not sent stays in the outbox: \(pending.stdout)")
    }

    @Test("an API asking for a ten-minute pause (429, Retry-After: 600): SIGTERM cuts the poll's retry wait short")
    func retryWaitEndsOnShutdown() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        standIn.inject(.status(429, retryAfter: 600))
        let (config, directory) = try serviceConfig(
            standIn, notifiers: "  console: {type: stdout}\ndefault_notifiers: [console]")
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(["run", "--config", config], environment: ["ACME_KEY": standIn.adminKey])
        defer { child.stop() }
        #expect(eventually(timeout: 60) { standIn.requests.count >= 1 }, "\(child.stderr)")
        // The poll is now inside its 600 s pause (nothing else is asked meanwhile).
        Thread.sleep(forTimeInterval: 0.5)
        #expect(standIn.requests.count == 1)
        // A bound on a hang, far below the pause: before, the service exited only after it.
        let took = child.signal(SIGTERM, waitUpTo: 60)
        #expect(took != nil, "SIGTERM waited out the API's Retry-After: \(child.stderr.suffix(1500))")
        #expect(child.process.terminationStatus == 0)
        #expect(child.stderr.contains("not retried: stopping"), "\(child.stderr.suffix(1500))")
        // A poll cut short by shutdown is no failure of the source (no failing-since, no alert later).
        #expect(child.stderr.contains("poll stopped") && !child.stderr.contains("poll failed"))
        #expect(standIn.requests.count == 1, "the request was not retried on the way out")
    }

    @Test("an API that never answers: SIGTERM aborts the poll's request instead of waiting out its timeout")
    func hungRequestEndsOnShutdown() throws {
        let hung = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "{}", delay: 300) }
        defer { hung.stop() }
        let (config, directory) = try serviceConfig(
            baseURL: hung.baseURL + "/v1", notifiers: "  console: {type: stdout}\ndefault_notifiers: [console]",
            extra: "http: {timeout: 600s}")
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(["run", "--config", config], environment: ["ACME_KEY": "sk-admin-hung"])
        defer { child.stop() }
        #expect(eventually(timeout: 60) { hung.requests.count >= 1 }, "\(child.stderr)")
        // A bound on a hang, far below the request's 600 s timeout.
        let took = child.signal(SIGTERM, waitUpTo: 60)
        #expect(took != nil, "SIGTERM waited out the hung request: \(child.stderr.suffix(1500))")
        #expect(child.process.terminationStatus == 0)
        #expect(hung.requests.count == 1, "nothing asked again on the way out")
        #expect(child.stderr.contains("poll stopped") && !child.stderr.contains("poll failed"), "\(child.stderr)")
    }

    @Test("a second process on the same state refuses, naming the holder; a killed holder's lock is free at once")
    func oneInstancePerState() throws {
        let directory = try makeTemporaryDirectory("aw-lock")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("events.jsonl").path
        try #"{"id":"x1","type":"scim.disabled","effective_at":1773705600,"scim.disabled":{"id":"scim"}}"#.appending(
            "\n"
        ).write(toFile: log, atomically: true, encoding: .utf8)
        let state = directory.appendingPathComponent("s.sqlite").path
        let first = try ChildProcess(["run", "--events", log, "--follow", "--output", "jsonl", "--state", state])
        defer { first.stop() }
        #expect(first.waitForStdout { $0.contains("scim_disabled") })
        let second = try CommandRunner.run(["run", "--events", log, "--output", "jsonl", "--state", state])
        #expect(second.status == 1)
        #expect(second.stdout.isEmpty, "no alert printed twice")
        #expect(
            second.stderr.contains("is in use by auditwatch process \(first.pid) on \(StateLock.hostName)"),
            "\(second.stderr)")
        #expect(first.signal(SIGKILL, waitUpTo: 5) != nil)
        let third = try CommandRunner.run(["run", "--events", log, "--output", "jsonl", "--state", state])
        #expect(third.status == 0, "a dead holder's lock is released by the kernel: \(third.stderr)")
        #expect(third.stdout.isEmpty, "and the alert is not raised again")
    }

    @Test("reload signals only a live auditwatch that holds the state, never what a stale pid file names")
    func reloadOnlyTheHolder() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let (config, directory) = try serviceConfig(
            standIn, notifiers: "  console: {type: stdout}\ndefault_notifiers: [console]")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A stale pid file naming a live process that is not auditwatch.
        let bystander = Process()
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["30"]
        try bystander.run()
        defer { if bystander.isRunning { kill(bystander.processIdentifier, SIGKILL); bystander.waitUntilExit() } }
        try "\(bystander.processIdentifier)\n".write(
            toFile: directory.appendingPathComponent("state.sqlite.pid").path, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["reload", "--config", config])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no running service holds"), "\(refused.stderr)")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(bystander.isRunning, "the bystander was not sent SIGHUP")

        let service = try ChildProcess(["run", "--config", config], environment: ["ACME_KEY": standIn.adminKey])
        defer { service.stop() }
        #expect(service.waitForStderr { $0.contains("started") })
        let pidFile = directory.appendingPathComponent("state.sqlite.pid").path
        #expect(
            (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                == String(service.pid))
        let reload = try CommandRunner.run(["reload", "--config", config])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(service.waitForStderr { $0.contains("reloaded") })
        // A pid file another process wrote since is not ours to remove.
        try "999999\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        #expect(service.signal(SIGTERM, waitUpTo: 10) != nil)
        #expect(FileManager.default.fileExists(atPath: pidFile), "only its owner removes the pid file")
    }

    @Test("Int64 extremes in a file: run, restart with --state, chat messages and alerts list never crash")
    func int64Extremes() throws {
        let slack = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { slack.stop() }
        let directory = try makeTemporaryDirectory("aw-int64")
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines = (0..<5).map {
            #"{"id":"m\#($0)","type":"login.failed","effective_at":-9223372036854775808,"actor":{"type":"session","session":{"user":{"email":"dana@x"}}}}"#
        }
        lines.append(
            #"{"id":"max","type":"scim.disabled","effective_at":9223372036854775807,"scim.disabled":{"id":"s"}}"#)
        lines.append(
            #"{"id":"min","type":"scim.disabled","effective_at":-9223372036854775807,"scim.disabled":{"id":"s"}}"#)
        let log = directory.appendingPathComponent("events.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let plain = try CommandRunner.run(["run", "--events", log])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("9999-12-31T23:59:59Z") && plain.stdout.contains("0001-01-01T00:00:00Z"))
        let state = directory.appendingPathComponent("s.sqlite").path
        for _ in 0..<2 {
            let run = try CommandRunner.run(["run", "--events", log, "--state", state])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: c.sqlite
        notifiers:
          chat: {type: slack, url: "${SLACK_URL}"}
          page: {type: discord, url: "${DISCORD_URL}"}
        default_notifiers: [chat, page]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let hooks = ["SLACK_URL": slack.baseURL + "/services/x", "DISCORD_URL": slack.baseURL + "/api/webhooks/1/x"]
        let configured = try CommandRunner.run(["run", "--config", config, "--events", log], environment: hooks)
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(!configured.stderr.contains("waiting to retry"), "\(configured.stderr)")
        let listed = try CommandRunner.run(["alerts", "list", "--config", config], environment: hooks)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdoutLines.count >= 6)
    }

    @Test("an event dated 2100 in a polled page: an alert says so, and later events are still read")
    func futureEventPolled() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        standIn.add(id: "y2100", at: 4_102_444_800, type: "scim.disabled")
        standIn.add(id: "today", at: now - 60, type: "logout.succeeded")
        let (config, directory) = try serviceConfig(
            standIn, notifiers: "  console: {type: stdout}\ndefault_notifiers: [console]")
        defer { try? FileManager.default.removeItem(at: directory) }
        let env = ["ACME_KEY": standIn.adminKey]
        let first = try CommandRunner.run(["run", "--config", config, "--once", "--backfill-notify"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"auditwatch_event_from_future\""))
        #expect(first.stdout.contains("\"scim_disabled\""), "the event is still processed")
        standIn.add(id: "later", at: now - 30, type: "scim.disabled")
        let second = try CommandRunner.run(["run", "--config", config, "--once"], environment: env)
        #expect(second.stdout.contains("\"later\""), "read after the 2100 event: \(second.stderr)")
        #expect(!second.stdout.contains("auditwatch_event_from_future"), "one alert per future event")
    }

    @Test(
        "a run that ends sends every delivery (no cap per checkpoint) and --wait-deliveries waits for retries, saying what is left"
    )
    func runsThatEndDeliverEverything() throws {
        let refuseFirst = LockedCounter()
        let slack = try LoopbackHTTPServer { _, _ in
            refuseFirst.next() == 0
                ? .respond(status: 503, headers: [("Retry-After", "1")]) : .respond(status: 200, body: "ok")
        }
        defer { slack.stop() }
        let directory = try makeTemporaryDirectory("aw-ends")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = (0..<520).map {
            #"{"id":"d\#($0)","type":"scim.disabled","effective_at":\#(1_773_700_000 + $0),"scim.disabled":{"id":"s\#($0)"}}"#
        }
        let log = directory.appendingPathComponent("events.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: s.sqlite
        notifiers:
          chat: {type: slack, url: "${SLACK_URL}", rate_limit: 1000/s}
        default_notifiers: [chat]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let env = ["SLACK_URL": slack.baseURL + "/services/x"]
        let first = try CommandRunner.run(
            ["run", "--config", config, "--events", log, "--checkpoint-every", "10000"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stderr.contains("520 deliveries waiting to retry (next attempt at"),
            "the target paused the run; it says what is left: \(first.stderr.suffix(300))")
        let waited = try CommandRunner.run(
            ["run", "--config", config, "--events", log, "--wait-deliveries", "20s"], environment: env)
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(!waited.stderr.contains("waiting to retry"), "\(waited.stderr.suffix(300))")
        let sent = try CommandRunner.run(["alerts", "list", "--config", config, "--status", "sent"], environment: env)
        #expect(sent.stdoutLines.count == 520)
        #expect(slack.requests.count == 521, "one refusal, then each alert once")
    }
}

@Suite("No secret ever printed by the commands", .serialized)
struct CommandRedactionTests {
    @Test("check, fetch and backtest never print an API's 401 body that quotes the key, in any encoding")
    func apiEchoesKey() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let key = standIn.adminKey
        let base64 = Data(key.utf8).base64EncodedString()
        let (config, directory) = try serviceConfig(
            standIn, notifiers: "  console: {type: stdout}\ndefault_notifiers: [console]")
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in [["check"], ["fetch", "--since", "1h"], ["backtest", "--since", "1h"]] {
            standIn.inject(
                .status(
                    401,
                    body:
                        #"{"error":{"message":"Incorrect API key provided: \#(key) (\#(base64))","code":"invalid_api_key"}}"#
                ))
            let outcome = try CommandRunner.run(command + ["--config", config], environment: ["ACME_KEY": key])
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("<redacted>"), "\(command): \(outcome.stderr)")
            #expect(
                !(outcome.stderr + outcome.stdout).contains(key) && !(outcome.stderr + outcome.stdout).contains(base64),
                "\(command): \(outcome.stderr)")
        }
    }

    @Test("the literal-credential error locates the line without quoting the secret")
    func literalCredential() throws {
        let directory = try makeTemporaryDirectory("aw-literal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        notifiers:
          chat: {type: slack, url: "https://hooks.slack.com/services/T0/B0/LiteralSecretToken"}
        default_notifiers: [chat]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["check", "--config", config])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("auditwatch.yml:3:"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("LiteralSecretToken"), "\(outcome.stderr)")
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}
