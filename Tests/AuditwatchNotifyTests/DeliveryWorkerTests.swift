import AuditwatchConfig
import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchNotify

private func statePath() throws -> String {
    let directory = try makeTemporaryDirectory("aw-outbox")
    return directory.appendingPathComponent("state.sqlite").path
}

/// A worker for one Slack notifier at `url`, with a fake clock and a fixed jitter of one half.
private func worker(
    _ store: any StateStore, url: String, clock: FakeClock, logs: LogBox, retryFor: String = "1h",
    timeout: String = "30s"
) throws -> DeliveryWorker {
    let (built, _, config) = try clients(
        """
        notifiers:
          chat: {type: slack, url: "${SLACK_URL}"}
        delivery: {retry_for: \(retryFor), backoff_base: 2s, backoff_cap: 60s}
        http: {timeout: \(timeout)}
        """, environment: ["SLACK_URL": url])
    return DeliveryWorker(
        store: store, clients: built, backoff: config.backoff, clock: { clock.now }, sleep: clock.sleep,
        random: { 0.5 }, log: logs.append)
}

final class LogBox: @unchecked Sendable {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}

private func enqueue(_ store: any StateStore, _ ids: [String]) throws {
    try store.checkpoint(state: EngineState(), position: nil, alerts: ids.map { sampleAlert($0) }, sinks: ["chat"])
}

@Suite("Delivery: retries, backoff, dead letters, restarts", .serialized)
struct DeliveryWorkerTests {
    @Test("429 with Retry-After waits exactly that long, then delivers")
    func retryAfter() throws {
        let server = try LoopbackHTTPServer { _, sequence in
            sequence == 0
                ? .respond(status: 429, headers: [("Retry-After", "7")], body: "rate_limited")
                : .respond(status: 200, body: "ok")
        }
        defer { server.stop() }
        let store = try SQLiteStore(path: try statePath())
        try enqueue(store, ["a1"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + "/services/SECRET-PATH", clock: clock, logs: logs)
        #expect(try delivery.deliverDue() == DeliveryWorker.Report(sent: 0, retrying: 1, failed: 0))
        #expect(try store.nextDueTime() == Int64(clock.now) + 7)
        clock.now += 6
        #expect(try delivery.deliverDue() == DeliveryWorker.Report())
        clock.now += 1
        #expect(try delivery.deliverDue().sent == 1)
        #expect(server.requests.count == 2)
        #expect(try store.alerts(status: .sent).count == 1)
    }

    @Test("5xx and dropped connections back off exponentially with jitter; then succeed")
    func backoff() throws {
        let server = try LoopbackHTTPServer { _, sequence in
            switch sequence {
            // A drop on a fresh connection surfaces as an error (libcurl silently re-sends only
            // on a reused connection the server had closed).
            case 0: return .drop
            case 1: return .respond(status: 500, body: "rollup_error")
            case 2: return .respond(status: 503)
            default: return .respond(status: 200, body: "ok")
            }
        }
        defer { server.stop() }
        let store = try SQLiteStore(path: try statePath())
        try enqueue(store, ["b1"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + "/services/x", clock: clock, logs: logs)
        var waits: [Int64] = []
        for _ in 0..<3 {
            let start = Int64(clock.now)
            let report = try delivery.deliverDue()
            #expect(report.retrying == 1, "\(report) \(logs.lines)")
            let due = try #require(try store.nextDueTime())
            waits.append(due - start)
            clock.now = Double(due)
        }
        // base 2s × 2^attempt × jitter 0.5, rounded up: 1, 2, 4 seconds.
        #expect(waits == [1, 2, 4])
        #expect(try delivery.deliverDue().sent == 1)
        #expect(logs.lines.first?.contains("retry in 1s") == true, "\(logs.lines)")
        #expect(logs.lines.contains { $0.contains("retry in 2s (HTTP 500 rollup_error)") }, "\(logs.lines)")
    }

    @Test("a 400 is permanent: dead-lettered at once, listed as failed, retried on request")
    func permanent() throws {
        let failing = LockedFlag()
        let server = try LoopbackHTTPServer { _, _ in
            failing.value ? .respond(status: 400, body: "invalid_payload") : .respond(status: 200, body: "ok")
        }
        defer { server.stop() }
        failing.value = true
        let store = try SQLiteStore(path: try statePath())
        try enqueue(store, ["c1", "c2"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + "/services/x", clock: clock, logs: logs)
        #expect(try delivery.deliverDue().failed == 2)
        let dead = try store.alerts(status: .failed)
        #expect(dead.map(\.alert.id) == ["c1", "c2"])
        #expect(dead.first?.lastError == "HTTP 400 invalid_payload")
        failing.value = false
        #expect(try store.retryFailed(alertID: "c1") == 1)
        #expect(try delivery.deliverDue().sent == 1)
        #expect(try store.retryFailed(alertID: nil) == 1)
        #expect(try delivery.deliverDue().sent == 1)
    }

    @Test("the retry budget ends in the dead-letter list")
    func budget() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 502) }
        defer { server.stop() }
        let store = try SQLiteStore(path: try statePath())
        try enqueue(store, ["d1"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + "/services/x", clock: clock, logs: logs, retryFor: "10s")
        var rounds = 0
        while try store.alerts(status: .failed).isEmpty && rounds < 20 {
            try delivery.deliverDue()
            clock.now = Double(try store.nextDueTime() ?? Int64(clock.now))
            rounds += 1
        }
        #expect(try store.alerts(status: .failed).first?.lastError?.hasPrefix("gave up after") == true)
        #expect(rounds < 20)
    }

    @Test("a slow target times out and is retried")
    func slow() throws {
        let server = try LoopbackHTTPServer { _, sequence in
            sequence == 0 ? .respond(status: 200, body: "ok", delay: 2.5) : .respond(status: 200, body: "ok")
        }
        defer { server.stop() }
        let store = try SQLiteStore(path: try statePath())
        try enqueue(store, ["e1"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + "/services/x", clock: clock, logs: logs, timeout: "1s")
        #expect(try delivery.deliverDue().retrying == 1)
        clock.now = Double(try #require(try store.nextDueTime()))
        #expect(try delivery.deliverDue().sent == 1)
    }

    @Test("a gone webhook disables its notifier")
    func gone() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 410) }
        defer { server.stop() }
        let store = try SQLiteStore(path: try statePath())
        try enqueue(store, ["f1", "f2"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + "/services/x", clock: clock, logs: logs)
        #expect(try delivery.deliverDue().failed == 2)
        #expect(server.requests.count == 1, "after the 410 nothing more is sent to it")
        #expect(logs.lines.contains { $0.contains("notifier chat disabled") })
    }

    @Test("nothing is lost across a restart: pending deliveries resume from the state file")
    func restart() throws {
        let healthy = LockedFlag()
        let server = try LoopbackHTTPServer { _, _ in
            healthy.value ? .respond(status: 200, body: "ok") : .respond(status: 503)
        }
        defer { server.stop() }
        let path = try statePath()
        let clock = FakeClock(), logs = LogBox()
        do {
            let store = try SQLiteStore(path: path)
            try enqueue(store, ["g1", "g2", "g3"])
            let delivery = try worker(store, url: server.baseURL + "/services/x", clock: clock, logs: logs)
            #expect(try delivery.deliverDue().retrying == 3)
        }
        healthy.value = true
        clock.now += 3600
        let reopened = try SQLiteStore(path: path)
        let delivery = try worker(reopened, url: server.baseURL + "/services/x", clock: clock, logs: logs)
        #expect(try delivery.deliverDue().sent == 3)
        #expect(try reopened.alerts(status: .sent).map(\.alert.id) == ["g1", "g2", "g3"])
        #expect(try reopened.alerts(status: .pending).isEmpty)
    }

    @Test("no log line, stored error or listing shows the webhook URL's secret part")
    func redaction() throws {
        let secretPath = "/services/T0SECRET/B0SECRET/xoxSuperSecretToken"
        let server = try LoopbackHTTPServer { request, _ in
            .respond(status: 400, body: "bad request for \(request.target)")
        }
        defer { server.stop() }
        let path = try statePath()
        let store = try SQLiteStore(path: path)
        try enqueue(store, ["h1"])
        let clock = FakeClock(), logs = LogBox()
        let delivery = try worker(store, url: server.baseURL + secretPath, clock: clock, logs: logs)
        try delivery.deliverDue()
        let stored = try store.alerts(status: .failed)
        let everything = logs.lines.joined(separator: "\n") + (stored.first?.lastError ?? "")
        #expect(everything.contains("<redacted>"))
        #expect(!everything.contains("xoxSuperSecretToken") && !everything.contains("T0SECRET"))
        let listing = try CommandRunner.run(["alerts", "list", "--state", path])
        #expect(!listing.stdout.contains("xoxSuperSecretToken"))
        #expect(listing.stdout.contains("failed"))
    }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool {
        get { lock.lock(); defer { lock.unlock() }; return flag }
        set { lock.lock(); flag = newValue; lock.unlock() }
    }
}
