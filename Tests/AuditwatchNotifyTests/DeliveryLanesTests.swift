import AuditwatchConfig
import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchNotify

@Suite("Delivery lanes: targets never hold each other or a stop back", .serialized)
struct DeliveryLanesTests {
    @Test("a 429 with Retry-After pauses the whole target: no other alert is sent to it inside the window")
    func pauseWholeTarget() throws {
        let server = try LoopbackHTTPServer { _, sequence in
            sequence == 0
                ? .respond(status: 429, headers: [("Retry-After", "30")], body: "rate_limited")
                : .respond(status: 200, body: "ok")
        }
        defer { server.stop() }
        let path = try makeTemporaryDirectory("aw-pause").appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.checkpoint(
            state: EngineState(), position: nil, alerts: (0..<6).map { sampleAlert("p\($0)") }, sinks: ["chat"])
        let (built, _, config) = try clients(
            "notifiers:\n  chat: {type: slack, url: \"${SLACK_URL}\"}\n",
            environment: ["SLACK_URL": server.baseURL + "/services/x"])
        let clock = FakeClock()
        let worker = DeliveryWorker(
            store: store, clients: built, backoff: config.backoff, clock: { clock.now }, sleep: clock.sleep,
            random: { 0.5 }, log: { _ in })
        #expect(try worker.deliverDue() == DeliveryWorker.Report(sent: 0, retrying: 1, failed: 0))
        #expect(server.requests.count == 1, "the other five wait with the paused target")
        clock.now += 29
        #expect(try worker.deliverDue() == DeliveryWorker.Report())
        #expect(server.requests.count == 1)
        clock.now += 1
        #expect(try worker.deliverDue().sent == 6)
        #expect(try store.alerts(status: .sent).count == 6)
    }

    @Test("more than 500 due deliveries are all sent in one round")
    func noCap() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { server.stop() }
        let path = try makeTemporaryDirectory("aw-nocap").appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.checkpoint(
            state: EngineState(), position: nil, alerts: (0..<510).map { sampleAlert("n\($0)") }, sinks: ["chat"])
        let (built, _, config) = try clients(
            "notifiers:\n  chat: {type: slack, url: \"${SLACK_URL}\", rate_limit: 1000/s}\n",
            environment: ["SLACK_URL": server.baseURL + "/services/x"])
        let clock = FakeClock()
        let worker = DeliveryWorker(
            store: store, clients: built, backoff: config.backoff, clock: { clock.now }, sleep: clock.sleep,
            random: { 0.5 }, log: { _ in })
        #expect(try worker.deliverDue().sent == 510)
        #expect(try store.alerts(status: .pending).isEmpty)
    }

    @Test("a hung Discord never delays Slack; stop ends within the drain deadline and leaves the hung work pending")
    func hungTargetIsolated() throws {
        let hung = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "{}", delay: 40) }
        let slack = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { hung.stop(); slack.stop() }
        let path = try makeTemporaryDirectory("aw-lanes").appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.checkpoint(
            state: EngineState(), position: nil, alerts: (0..<20).map { sampleAlert("h\($0)") },
            sinks: ["discord", "slack"])
        let (built, _, config) = try clients(
            """
            notifiers:
              discord: {type: discord, url: "${DISCORD_URL}", rate_limit: 1000/s}
              slack: {type: slack, url: "${SLACK_URL}", rate_limit: 1000/s}
            http: {timeout: 30s}
            """,
            environment: [
                "DISCORD_URL": hung.baseURL + "/api/webhooks/1/x", "SLACK_URL": slack.baseURL + "/services/x",
            ])
        let lanes = DeliveryLanes(store: store, clients: built, backoff: config.backoff, log: { _ in })
        try lanes.start()
        let deadline = Date().addingTimeInterval(20)
        while try store.alerts(sink: "slack", status: .sent).count < 20 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try store.alerts(sink: "slack", status: .sent).count == 20, "Slack got everything while Discord hangs")
        #expect(hung.requests.count == 1, "one request in flight to the hung target")
        let started = Date()
        let inTime = lanes.stop(drain: 1)
        let took = Date().timeIntervalSince(started)
        #expect(inTime, "the aborted transfer ends the lane")
        #expect(took < 5, "stopped in \(took)s, drain 1s")
        let left = try store.alerts(sink: "discord", status: .pending)
        #expect(left.count == 20)
        #expect(
            left.allSatisfy { $0.attempts == 0 },
            "an aborted request is not counted as an attempt: it will be sent again")
    }

    @Test("finish sends everything due and waits for retries up to its limit")
    func finishWaitsForRetries() throws {
        let server = try LoopbackHTTPServer { _, sequence in
            sequence == 0 ? .respond(status: 503, headers: [("Retry-After", "1")]) : .respond(status: 200, body: "ok")
        }
        defer { server.stop() }
        let path = try makeTemporaryDirectory("aw-finish").appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.checkpoint(
            state: EngineState(), position: nil, alerts: (0..<3).map { sampleAlert("w\($0)") }, sinks: ["chat"])
        let (built, _, config) = try clients(
            "notifiers:\n  chat: {type: slack, url: \"${SLACK_URL}\", rate_limit: 1000/s}\n",
            environment: ["SLACK_URL": server.baseURL + "/services/x"])
        let lanes = DeliveryLanes(store: store, clients: built, backoff: config.backoff, log: { _ in })
        try lanes.start()
        let report = lanes.finish(waitRetries: 10)
        #expect(report.sent == 3, "\(report)")
        #expect(try store.alerts(status: .pending).isEmpty)
    }
}
