import AuditwatchCore
import AuditwatchHTTP
import AuditwatchTestSupport
import Foundation
import Testing

/// A config over `rules/` with one source and one webhook, in a fresh directory.
private func project(source: String, hook: String, extra: String = "") throws -> (directory: URL, config: String) {
    let directory = try makeTemporaryDirectory("aw-service-run")
    try FileManager.default.copyItem(
        at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
        to: directory.appendingPathComponent("rules"))
    let config = directory.appendingPathComponent("auditwatch.yml").path
    try """
    rules: [rules]
    state: state.sqlite
    sources:
      acme: {admin_key: "${ACME_KEY}", base_url: \(source), poll_interval: 1s, start: 1h}
    notifiers:
      hook: {type: webhook, url: "\(hook)/hook"}
    default_notifiers: [hook]
    \(extra)
    """.write(toFile: config, atomically: true, encoding: .utf8)
    return (directory, config)
}

@Suite("The service under swift-service-lifecycle", .serialized)
struct ServiceRunTests {
    @Test(
        "JSON mode: every line of a real run (polls, an alert and its delivery, SIGHUP reloads good and bad, SIGTERM) is one JSON object with exactly one level"
    )
    func everyLineOneLevel() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let hook = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { hook.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "e\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        let (directory, config) = try project(source: standIn.baseURL, hook: hook.baseURL)
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(
            ["run", "--config", config, "--backfill-notify", "--log-format", "json", "--log-level", "debug"],
            environment: ["ACME_KEY": standIn.adminKey])
        defer { child.stop() }
        #expect(child.waitForStderr { $0.contains(#""event":"delivery","outcome":"sent""#) }, "\(child.stderr)")
        let pidFile = directory.appendingPathComponent("state.sqlite.pid").path
        #expect(FileManager.default.fileExists(atPath: pidFile))

        // SIGHUP straight to the process: a reload that fails (a broken rule), then one that works.
        let broken = directory.appendingPathComponent("rules/broken.yml")
        try "title: broken\nid: broken\ndetection:\n  sel: {type: x}\n  condition: sel and nope\n".write(
            to: broken, atomically: true, encoding: .utf8)
        kill(child.pid, SIGHUP)
        #expect(child.waitForStderr { $0.contains(#""event":"reload","outcome":"failed""#) }, "\(child.stderr)")
        try FileManager.default.removeItem(at: broken)
        kill(child.pid, SIGHUP)
        #expect(child.waitForStderr { $0.contains(#""event":"reload","outcome":"ok""#) }, "\(child.stderr)")
        #expect(child.isRunning, "SIGHUP reloads, it does not end the service")

        #expect(child.signal(SIGTERM, waitUpTo: 20) != nil)
        #expect(child.process.terminationStatus == 0, "\(child.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pidFile), "the pid file goes with the process")
        let log = child.stderr
        #expect(!log.contains(standIn.adminKey))
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count > 5)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not one JSON object: \(line)")
            // A quote inside a value is escaped: `"level":` is only ever a key.
            #expect(line.components(separatedBy: #""level":"#).count == 2, "level not exactly once: \(line)")
            #expect(object?["time"] != nil && object?["msg"] != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""event":"alert""#) && $0.contains(#""alert_level":"high""#) })
        // After the stop line only the service group's own debug lines.
        let last = lines.last { !$0.contains(#""level":"debug""#) }
        #expect(last?.contains(#""event":"stop""#) == true, "the stop line is the last: \(lines.suffix(3))")
    }

    @Test("a poll stalled in libcurl waits on the service's own poll thread; /healthz answers meanwhile")
    func stalledPollOffThePool() throws {
        let arrived = DispatchSemaphore(value: 0)
        let api = try LoopbackHTTPServer { _, _ in
            arrived.signal()
            return .respond(status: 200, body: #"{"object":"list","data":[],"has_more":false}"#, delay: 8)
        }
        defer { api.stop() }
        let hook = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { hook.stop() }
        let (directory, config) = try project(
            source: api.baseURL + "/v1", hook: hook.baseURL, extra: "server: {listen: 127.0.0.1:0}")
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(
            ["run", "--config", config, "--log-format", "json"], environment: ["ACME_KEY": "sk-admin-stall-test"])
        defer { child.stop() }
        #expect(arrived.wait(timeout: .now() + 30) == .success, "\(child.stderr)")
        #expect(child.waitForStderr { $0.contains(#""address":"127.0.0.1:"#) }, "\(child.stderr)")
        // Every answer takes 8 s, so the service is nearly always inside a transfer: look until a
        // thread is caught waiting in poll(2) (curl's wait), then name every such thread.
        func read(_ task: String, _ file: String) -> String {
            ((try? String(contentsOfFile: "/proc/\(child.pid)/task/\(task)/\(file)", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #if arch(x86_64)
            let pollCalls: Set<String> = ["7", "271"]  // poll, ppoll
        #else
            let pollCalls: Set<String> = ["73"]  // ppoll
        #endif
        var inPoll: [String] = []
        let deadline = Date().addingTimeInterval(30)
        while inPoll.isEmpty && Date() < deadline && child.isRunning {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/task")) ?? []
            inPoll = tasks.filter { pollCalls.contains(String(read($0, "syscall").prefix { $0 != " " })) }
            if inPoll.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(!inPoll.isEmpty, "no thread seen in poll(2): \(child.stderr)")
        #expect(Set(inPoll.map { read($0, "comm") }) == ["auditwatch poll"], "\(inPoll.map { read($0, "comm") })")
        // The health server runs on the cooperative pool, which the stalled poll does not hold.
        let address = try #require(
            child.stderr.split(separator: "\n").first { $0.contains(#""address":"#) }.flatMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])?["address"]
            })
        let health = try HTTPClient().perform(HTTPRequest(url: "http://\(address)/healthz"))
        #expect(health.status == 200 && health.bodyText == "ok\n")
        // A stop waits for the round in flight (up to one answer, 8 s), then drains.
        #expect(child.signal(SIGTERM, waitUpTo: 30) != nil)
        #expect(child.process.terminationStatus == 0, "\(child.stderr)")
    }
}
