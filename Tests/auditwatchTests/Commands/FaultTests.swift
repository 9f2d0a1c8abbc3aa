import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

/// One request the receiver saw, for which alert.
private struct Received: Sendable {
    var alertID: String
}

/// A webhook receiver that answers after a short random delay (so kills land inside requests)
/// and remembers every request, on arrival.
private final class Receiver: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Received] = []
    private(set) var server: LoopbackHTTPServer!

    init() throws {
        server = try LoopbackHTTPServer { [weak self] request, sequence in
            // Recorded on arrival: a kill during the answer's delay still finds it received.
            self?.lock.lock()
            self?.log.append(Received(alertID: request.headers["webhook-id"] ?? "?"))
            self?.lock.unlock()
            Thread.sleep(forTimeInterval: Double((sequence * 7919) % 40) / 1000)
            return .respond(status: 200, body: "ok")
        }
    }

    var received: [Received] { lock.lock(); defer { lock.unlock() }; return log }
}

/// How many kill-and-restart rounds: a few in `make test`, many in `make faults`.
private let rounds = Int(ProcessInfo.processInfo.environment["AUDITWATCH_FAULT_ROUNDS"] ?? "") ?? 3

@Suite("Faults: SIGKILL while polling and delivering, then restarts", .serialized)
struct FaultTests {
    @Test("no alert is lost; an alert is sent twice only when a kill landed inside its HTTP request")
    func killAndRestart() throws {
        let standIn = try AuditLogStandIn()
        let receiver = try Receiver()
        defer { standIn.stop(); receiver.server.stop() }
        let directory = try makeTemporaryDirectory("aw-faults")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 2h}
        notifiers:
          hook: {type: webhook, url: "\(receiver.server.baseURL)/hook", rate_limit: 200/s}
        default_notifiers: [hook]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let env = ["ACME_KEY": standIn.adminKey]
        let now = Int64(Date().timeIntervalSince1970)
        var expected = 0
        // Per alert, how many kills caught it inside its HTTP request: the receiver had it, the
        // state file still had it pending (sent, outcome not yet recorded).
        var caughtInFlight: [String: Int] = [:]
        let statePath = directory.appendingPathComponent("state.sqlite").path
        var generator = SystemRandomNumberGenerator()
        for round in 0..<rounds {
            for index in 0..<12 {
                standIn.add(id: "r\(round)-\(index)", at: now - 3600 + Int64(round * 12 + index), type: "scim.disabled")
                expected += 1
            }
            let child = try ChildProcess(["run", "--config", config, "--backfill-notify"], environment: env)
            defer { child.stop() }
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...1.6, using: &generator))
            #expect(child.signal(SIGKILL, waitUpTo: 5) != nil)
            let seen = Set(receiver.received.map(\.alertID))
            let pending = try SQLiteStore(path: statePath).alerts(sink: "hook", status: .pending).map {
                "msg_" + $0.alert.id
            }
            for id in pending where seen.contains(id) { caughtInFlight[id, default: 0] += 1 }
        }
        // A last, clean run delivers whatever is left.
        let last = try CommandRunner.run(
            ["run", "--config", config, "--once", "--backfill-notify", "--wait-deliveries", "20s"], environment: env)
        #expect(last.status == 0, "\(last.stderr)")
        let received = receiver.received
        let byAlert = Dictionary(grouping: received, by: \.alertID)
        #expect(byAlert.count == expected, "every alert arrived: \(byAlert.count) of \(expected)")
        var duplicates = 0, explained = 0
        for (id, requests) in byAlert where requests.count > 1 {
            duplicates += requests.count - 1
            explained += min(requests.count - 1, caughtInFlight[id] ?? 0)
        }
        #expect(duplicates == explained, "\(duplicates) duplicates, only \(explained) with a kill inside their request")
        print(
            "faults: \(rounds) SIGKILLs while polling and delivering, \(expected) alerts, all delivered; \(received.count) requests, "
                + "\(duplicates) duplicate\(duplicates == 1 ? "" : "s") (all with the kill inside the HTTP request)")
    }
}
