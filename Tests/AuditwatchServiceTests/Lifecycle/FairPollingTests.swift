import AuditwatchTestSupport
import Foundation
import Synchronization
import Testing

/// Two API hosts on loopback serving empty audit-log pages, one organization per admin key; the
/// organization `hung` never answers before the client's timeout. Counts requests per
/// organization, the requests in flight per host, and the answers given while a request of
/// `hung` was waiting.
private final class OrganizationsStandIn: Sendable {
    struct Tally {
        var requests: [String: Int] = [:]
        var inFlight: [Int: Int] = [:]
        var mostInFlight: [Int: Int] = [:]
        var mostInFlightAll = 0
        var hungWaiting = 0
        /// Requests of other organizations that arrived while one of `hung` was waiting.
        var servedWhileHung = 0
    }

    let tally = Mutex<Tally>(Tally())
    private let servers = Mutex<[LoopbackHTTPServer]>([])
    /// How long `hung` keeps a request before the client gives up (the config's `http.timeout`).
    let timeout: Double

    init(timeout: Double) throws {
        self.timeout = timeout
        var made: [LoopbackHTTPServer] = []
        for host in 0..<2 {
            made.append(try LoopbackHTTPServer { [self] request, _ in answer(request, host: host) })
        }
        servers.withLock { $0 = made }
    }

    func baseURL(host: Int) -> String { servers.withLock { $0[host].baseURL } + "/v1" }

    func stop() { servers.withLock { $0.forEach { $0.stop() } } }

    private func answer(_ request: LoopbackHTTPServer.Request, host: Int) -> LoopbackHTTPServer.Reply {
        let organization = String((request.headers["authorization"] ?? "").dropFirst("Bearer sk-admin-".count))
        let hung = organization == "hung"
        tally.withLock { tally in
            tally.requests[organization, default: 0] += 1
            tally.inFlight[host, default: 0] += 1
            tally.mostInFlight[host] = max(tally.mostInFlight[host, default: 0], tally.inFlight[host]!)
            tally.mostInFlightAll = max(tally.mostInFlightAll, tally.inFlight.values.reduce(0, +))
            if hung { tally.hungWaiting += 1 } else if tally.hungWaiting > 0 { tally.servedWhileHung += 1 }
        }
        // The client gives up at `timeout`: from then on the request no longer counts as in flight.
        Thread.sleep(forTimeInterval: hung ? timeout - 0.1 : 0.2)
        tally.withLock { tally in
            tally.inFlight[host, default: 1] -= 1
            if hung { tally.hungWaiting -= 1 }
        }
        if hung { Thread.sleep(forTimeInterval: 1) }
        return .respond(
            status: 200, headers: [("Content-Type", "application/json")],
            body: #"{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}"#)
    }
}

@Suite("Fair polling in the real service", .serialized)
struct FairPollingTests {
    @Test(
        "one organization's API hangs: the others are polled at their interval meanwhile, within polling.per_host and polling.concurrency"
    )
    func hungOrganizationNeverBlocks() throws {
        let standIn = try OrganizationsStandIn(timeout: 2)
        defer { standIn.stop() }
        let directory = try makeTemporaryDirectory("aw-fair-polling")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
            to: directory.appendingPathComponent("rules"))
        // Host 0: hung and two others; host 1: three others. Two polls at once per host, three in all.
        let organizations = [("hung", 0), ("a1", 0), ("a2", 0), ("b1", 1), ("b2", 1), ("b3", 1)]
        var environment: [String: String] = [:]
        var sources = ""
        for (name, host) in organizations {
            environment["KEY_\(name.uppercased())"] = "sk-admin-" + name
            sources +=
                "  \(name): {admin_key: \"${KEY_\(name.uppercased())}\", base_url: \(standIn.baseURL(host: host)), "
                + "poll_interval: 1s, start: 1h}\n"
        }
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [rules]
        state: state.sqlite
        http: {timeout: 2s, connect_timeout: 2s}
        polling: {concurrency: 3, per_host: 2}
        sources:
        \(sources)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let child = try ChildProcess(
            ["run", "--config", config, "--log-format", "json"], environment: environment)
        defer { child.stop() }
        let others = organizations.map(\.0).filter { $0 != "hung" }
        // Wait until every organization was asked once, then count over ten seconds.
        let deadline = Date().addingTimeInterval(60)
        var first = standIn.tally.withLock { $0 }
        while Date() < deadline && organizations.contains(where: { (first.requests[$0.0] ?? 0) == 0 }) {
            Thread.sleep(forTimeInterval: 0.1)
            first = standIn.tally.withLock { $0 }
        }
        #expect(organizations.allSatisfy { (first.requests[$0.0] ?? 0) > 0 }, "\(first.requests)\n\(child.stderr)")
        Thread.sleep(forTimeInterval: 10)
        let last = standIn.tally.withLock { $0 }
        let counts = Dictionary(
            uniqueKeysWithValues: others.map { ($0, (last.requests[$0] ?? 0) - (first.requests[$0] ?? 0)) })
        // Once a second each: at least 4 in 10 s however loaded the machine, never a burst.
        #expect(counts.values.allSatisfy { (4...14).contains($0) }, "requests in 10 s: \(counts)")
        // The hung organization's poll (its retries included) waits in one slot while the others go on.
        #expect(last.servedWhileHung >= 10, "\(last.servedWhileHung) answers while hung waited: \(last.requests)")
        #expect((last.requests["hung"] ?? 0) >= 2, "hung is asked again (retries), \(last.requests)")
        #expect(last.mostInFlight.values.allSatisfy { $0 <= 2 }, "per host: \(last.mostInFlight)")
        #expect(last.mostInFlightAll <= 3, "in all: \(last.mostInFlightAll)")
        #expect(child.isRunning, "\(child.stderr)")
        #expect(!child.stderr.contains("sk-admin-"), "no admin key in the log")
    }
}
