import AuditwatchTestSupport
import Foundation
import Testing

@Suite("run --config, notify test, alerts retry", .serialized)
struct NotifyCommandTests {
    private func setup(_ server: LoopbackHTTPServer) throws -> (config: String, state: String) {
        let directory = try makeTemporaryDirectory("aw-config")
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        notifiers:
          console: {type: stdout}
          siem: {type: webhook, url: \(server.baseURL)/hook, secret: "${SIEM_SECRET}", rate_limit: 1000/s}
          chat: {type: slack, url: "${SLACK_URL}", rate_limit: 1000/s}
        routes:
          - {levels: [critical, high], notifiers: [chat, siem]}
        default_notifiers: [console]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (config, directory.appendingPathComponent("state.sqlite").path)
    }

    private let environment = ["SIEM_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]

    @Test("alerts are routed: high and critical to chat and the SIEM, the rest to the console")
    func routed() throws {
        let server = try LoopbackHTTPServer { request, _ in
            request.target.hasPrefix("/services") ? .respond(status: 200, body: "ok") : .respond(status: 204)
        }
        defer { server.stop() }
        let (config, _) = try setup(server)
        var env = environment
        env["SLACK_URL"] = server.baseURL + "/services/T1/B1/SECRETTOKEN"
        let outcome = try CommandRunner.run(
            ["run", "--config", config, "--events", "examples/logs/acme-day.jsonl"], environment: env)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let highOrCritical = 15
        #expect(server.requests.filter { $0.target.hasPrefix("/services") }.count == highOrCritical)
        let hooks = server.requests.filter { $0.target == "/hook" }
        #expect(hooks.count == highOrCritical)
        #expect(hooks.allSatisfy { $0.headers["webhook-signature"]?.hasPrefix("v1,") == true })
        #expect(outcome.stdoutLines.count == 25 - highOrCritical)
        #expect(!outcome.stderr.contains("SECRETTOKEN"))
        #expect(
            !(outcome.stderr + outcome.stdout).contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "the signing secret is never shown")
        #expect(
            !server.requests.contains {
                $0.bodyText.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                    || $0.headers.values.contains { $0.contains("MfKQ9r8G") }
            }, "nor sent")
        #expect(outcome.stderr.contains("-> chat, siem"))
        // Running again raises nothing new and sends nothing twice.
        let again = try CommandRunner.run(
            ["run", "--config", config, "--events", "examples/logs/acme-day.jsonl"], environment: env)
        #expect(again.status == 0)
        #expect(server.requests.count == 2 * highOrCritical)
    }

    @Test("failed deliveries wait in the outbox; alerts retry and a later run send them")
    func outbox() throws {
        let healthy = Flag()
        let server = try LoopbackHTTPServer { request, _ in
            guard healthy.isSet else { return .respond(status: 400, body: "invalid_payload") }
            return request.target.hasPrefix("/services") ? .respond(status: 200, body: "ok") : .respond(status: 204)
        }
        defer { server.stop() }
        let (config, _) = try setup(server)
        var env = environment
        env["SLACK_URL"] = server.baseURL + "/services/T1/B1/SECRETTOKEN"
        let first = try CommandRunner.run(
            ["run", "--config", config, "--events", "examples/logs/acme-day.jsonl"], environment: env)
        #expect(first.status == 0)
        #expect(first.stderr.contains("0 deliveries waiting to retry, 30 dead-lettered"))
        let failed = try CommandRunner.run(
            ["alerts", "list", "--config", config, "--status", "failed"], environment: env)
        #expect(failed.stdoutLines.count == 30)
        #expect(!failed.stdout.contains("SECRETTOKEN"))
        healthy.set()
        let retry = try CommandRunner.run(["alerts", "retry", "--all-failed", "--config", config], environment: env)
        #expect(retry.stderr.contains("30 deliveries queued again"))
        let second = try CommandRunner.run(
            ["run", "--config", config, "--events", "examples/logs/acme-day.jsonl"], environment: env)
        #expect(second.status == 0, "\(second.stderr.suffix(600))")
        let sent = try CommandRunner.run(["alerts", "list", "--config", config, "--status", "sent"], environment: env)
        #expect(sent.stdoutLines.filter { $0.hasPrefix("chat") || $0.hasPrefix("siem") }.count == 30)
    }

    @Test("notify test reports exactly what the target answered; config mistakes are located")
    func notifyTest() throws {
        let server = try LoopbackHTTPServer { _, sequence in
            sequence == 0 ? .respond(status: 200, body: "ok") : .respond(status: 404, body: "no_team")
        }
        defer { server.stop() }
        let (config, _) = try setup(server)
        var env = environment
        env["SLACK_URL"] = server.baseURL + "/services/T1/B1/SECRETTOKEN"
        let good = try CommandRunner.run(["notify", "test", "chat", "--config", config], environment: env)
        #expect(good.status == 0)
        #expect(good.stdout.contains("notifier chat (slack): HTTP 200"))
        #expect(good.stdout.contains("result: delivered"))
        let bad = try CommandRunner.run(["notify", "test", "chat", "--config", config], environment: env)
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("HTTP 404") && bad.stdout.contains("no_team"))
        let unset = try CommandRunner.run(
            ["notify", "test", "chat", "--config", config],
            environment: ["SIEM_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "SLACK_URL": ""])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("environment variable SLACK_URL, which is not set"))
        let literal = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(
            of: "url: \"${SLACK_URL}\"", with: "url: https://hooks.slack.com/services/T/B/LEAKED")
        try literal.write(toFile: config, atomically: true, encoding: .utf8)
        let leaked = try CommandRunner.run(["notify", "test", "chat", "--config", config], environment: env)
        #expect(leaked.status == 2)
        #expect(leaked.stderr.contains("auditwatch.yml:6:") && leaked.stderr.contains("is a credential"))
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
