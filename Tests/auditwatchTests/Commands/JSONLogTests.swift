import AuditwatchTestSupport
import Foundation
import Testing

/// Reads JSON Lines on stdin and fails on a line that is not one JSON object, lacks `time`,
/// `level` or `msg`, or has a key twice (Python's parser keeps the last one silently).
private let checker = #"""
    import json, sys
    def pairs(items):
        keys = [k for k, _ in items]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup: raise ValueError("duplicate key(s) %s" % dup)
        return dict(items)
    bad = 0
    for number, line in enumerate(sys.stdin.read().split("\n"), 1):
        if not line: continue
        try:
            obj = json.loads(line, object_pairs_hook=pairs)
            if not isinstance(obj, dict): raise ValueError("not an object")
            missing = [k for k in ("time", "level", "msg") if k not in obj]
            if missing: raise ValueError("missing %s" % missing)
        except ValueError as error:
            bad += 1
            print("line %d: %s: %r" % (number, error, line))
    print("%d bad lines" % bad)
    sys.exit(1 if bad else 0)
    """#

@Suite("The service's JSON log", .serialized)
struct JSONLogTests {
    @Test(
        "--log-format json: every stderr line through polls, sent/retried/dead-lettered deliveries, a failed and a good reload and SIGTERM is one JSON object with no key twice"
    )
    func everyLineIsJSON() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let good = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { good.stop() }
        // 503 twice, then 200: retried, then sent.
        let flaky = try LoopbackHTTPServer { _, index in
            index < 2 ? .respond(status: 503, body: "unavailable") : .respond(status: 200, body: "ok")
        }
        defer { flaky.stop() }
        // 400: a permanent failure, dead-lettered at once.
        let refusing = try LoopbackHTTPServer { _, _ in .respond(status: 400, body: "bad payload") }
        defer { refusing.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        let directory = try makeTemporaryDirectory("aw-jsonlog")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
            to: directory.appendingPathComponent("rules"))
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [rules]
        state: state.sqlite
        delivery: {retry_for: 1m, backoff_base: 1s, backoff_cap: 1s}
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
        notifiers:
          good: {type: webhook, url: "\(good.baseURL)/hook"}
          flaky: {type: webhook, url: "\(flaky.baseURL)/hook"}
          refusing: {type: webhook, url: "\(refusing.baseURL)/hook"}
        default_notifiers: [good, flaky, refusing]
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let child = try ChildProcess(
            ["run", "--config", config, "--backfill-notify", "--log-format", "json"],
            environment: ["ACME_KEY": standIn.adminKey])
        defer { child.stop() }
        #expect(
            child.waitForStderr { $0.contains(#""notifier":"good""#) && $0.contains(#""outcome":"sent""#) },
            "\(child.stderr)")
        #expect(
            child.waitForStderr { $0.contains(#""notifier":"refusing""#) && $0.contains(#""outcome":"failed""#) },
            "\(child.stderr)")
        #expect(
            child.waitForStderr { text in
                text.split(separator: "\n").contains {
                    $0.contains(#""notifier":"flaky""#) && $0.contains(#""outcome":"sent""#)
                }
            }, "\(child.stderr)")

        // A broken rule: the reload is refused and the running rules stay.
        let broken = directory.appendingPathComponent("rules/broken.yml")
        try "title: broken\nid: broken\ndetection:\n  sel: {type: x}\n  condition: sel and nope\n".write(
            to: broken, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["reload", "--config", config])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(!refused.stderr.contains("nothing was run"), "\(refused.stderr)")
        #expect(child.waitForStderr { $0.contains(#""event":"reload","outcome":"failed""#) }, "\(child.stderr)")
        try FileManager.default.removeItem(at: broken)
        let reloaded = try CommandRunner.run(["reload", "--config", config])
        #expect(reloaded.status == 0, "\(reloaded.stderr)")
        #expect(child.waitForStderr { $0.contains(#""event":"reload","outcome":"ok""#) }, "\(child.stderr)")

        #expect(child.signal(SIGTERM, waitUpTo: 10) != nil)
        #expect(child.process.terminationStatus == 0)
        let log = child.stderr
        #expect(!log.contains(standIn.adminKey))
        #expect(!log.contains("nothing was run"), "a failed reload keeps the running rules")

        let check = try ExternalTool.run("python3", ["-c", checker], input: log)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let lines = log.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
        #expect(lines.count == log.split(separator: "\n").count, "every value is a string")
        func has(_ event: String, _ outcome: String? = nil, _ extra: [String: String] = [:]) -> Bool {
            lines.contains { line in
                line["event"] == event && (outcome == nil || line["outcome"] == outcome)
                    && extra.allSatisfy { line[$0.key] == $0.value }
            }
        }
        #expect(has("start") && has("stop"))
        #expect(has("poll", "ok", ["source": "acme", "new_events": "5"]))
        #expect(has("alert", nil, ["rule": "brute_force_user", "alert_level": "high"]))
        #expect(has("delivery", "sent", ["notifier": "good"]))
        #expect(has("delivery", "retry", ["notifier": "flaky"]))
        #expect(has("delivery", "sent", ["notifier": "flaky"]))
        #expect(has("delivery", "failed", ["notifier": "refusing"]))
        #expect(has("reload", "ok"))
        let failedReload = try #require(lines.firstIndex { $0["event"] == "reload" && $0["outcome"] == "failed" })
        #expect(lines[failedReload]["msg"]?.contains("the running rules, routes and notifiers stay in force") == true)
        // The refused rule's problem is a located line of its own, before the refusal.
        #expect(
            lines[..<failedReload].contains {
                $0["event"] == "diagnostic" && $0["severity"] == "error"
                    && $0["location"]?.contains("broken.yml:5:") == true
            },
            "\(log)")
        // Each alert's line comes before every line about its deliveries.
        for (index, line) in lines.enumerated() where line["event"] == "delivery" {
            let raised = lines.firstIndex { $0["event"] == "alert" && $0["id"] == line["id"] }
            #expect(raised.map { $0 < index } == true, "delivery line \(index) before its alert's line: \(log)")
        }
    }
}
