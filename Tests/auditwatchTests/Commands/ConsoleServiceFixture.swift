import AuditwatchTestSupport
import Foundation

/// A running `auditwatch run --config` for the silences and console tests: an audit-log stand-in,
/// a webhook stand-in that records what it is sent, a rule that fires on two failed sign-ins of
/// one user within a minute, the listener on a free loopback port and a server token.
final class ConsoleServiceFixture: @unchecked Sendable {
    let standIn: AuditLogStandIn
    let hook: LoopbackHTTPServer
    let directory: URL
    let config: String
    let token = "console-token-Q7vX2w"
    private(set) var service: ChildProcess?
    private(set) var address = ""
    let start = Int64(Date().timeIntervalSince1970)

    init() throws {
        standIn = try AuditLogStandIn()
        hook = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        directory = try makeTemporaryDirectory("aw-console")
        let rules = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try """
        title: Failed sign-in
        id: login_failed
        logsource: {product: openai, service: audit_log}
        detection:
          failed: {type: login.failed}
          condition: failed
        level: informational
        ---
        title: Repeated failed sign-ins for one user
        id: brute_force_user
        correlation:
          type: event_count
          rules: [login_failed]
          group-by: [actor.email]
          timespan: 1m
          condition: {gte: 2}
        level: high
        summary: "{alert.count} failed sign-ins for {group.actor.email}"
        """.write(to: rules.appendingPathComponent("sign-in.yml"), atomically: true, encoding: .utf8)
        config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [rules]
        state: state.sqlite
        server: {listen: "127.0.0.1:0", token: "${AW_CONSOLE_TOKEN}"}
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 2h}
        notifiers:
          hook: {type: webhook, url: "\(hook.baseURL)/hook"}
        default_notifiers: [hook]
        """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    deinit { stop() }

    /// Two failed sign-ins of `email` `secondsAgo` seconds ago (ten seconds apart): one alert.
    func failures(_ email: String, secondsAgo: Int64, tag: String) throws {
        for index in 0..<2 {
            let event: [String: Any] = [
                "id": "evt-\(tag)-\(index)", "object": "organization.audit_log", "type": "login.failed",
                "effective_at": start - secondsAgo + Int64(index * 10),
                "actor": [
                    "type": "session",
                    "session": ["user": ["id": "user-\(tag)", "email": email], "ip_address": "203.0.113.7"],
                ],
            ]
            let json = String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            standIn.addRaw(json, at: start - secondsAgo + Int64(index * 10))
        }
    }

    /// Starts the service (a new source's first poll is sent too with `backfill`) and waits for its listener.
    func startService(backfill: Bool) throws {
        let process = try ChildProcess(
            ["run", "--config", config] + (backfill ? ["--backfill-notify"] : []),
            environment: ["ACME_KEY": standIn.adminKey, "AW_CONSOLE_TOKEN": token])
        service = process
        guard process.waitForStderr(timeout: 60, { $0.contains("serving /healthz") }),
            let line = process.stderr.split(separator: "\n").first(where: { $0.contains("serving /healthz") }),
            let range = line.range(of: "address=")
        else {
            throw LoopbackWebSocketError("the service did not start listening: \(process.stderr)")
        }
        address = String(line[range.upperBound...].prefix { $0 != " " && $0 != "\"" })
    }

    func stopService() {
        service?.stop(grace: 10)
        service = nil
    }

    func stop() {
        stopService()
        hook.stop()
        standIn.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `auditwatch ARGS… --config auditwatch.yml`.
    func cli(_ arguments: [String]) throws -> CommandRunner.Outcome {
        try CommandRunner.run(arguments + ["--config", config])
    }

    /// What the webhook received, one body per request.
    var delivered: [String] { hook.requests.map(\.bodyText) }

    /// Waits (at most `timeout` seconds) until `condition` holds.
    @discardableResult
    func wait(timeout: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        try eventually(timeout: timeout, condition)
    }
}

struct LoopbackWebSocketError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
