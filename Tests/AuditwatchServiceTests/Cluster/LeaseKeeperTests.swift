import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import AuditwatchService

/// Log lines a test reads back.
private final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var logger: Logger { .service(LogOutput(format: .json) { [self] in append($0) }, threshold: .debug) }
}

/// A clock a test moves by hand.
private final class ManualClock: Sendable {
    private let time = Mutex<Double>(1_800_000_000)
    var now: Double { time.withLock { $0 } }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
}

@Suite("The lease keeper against a real PostgreSQL server", .serialized)
struct LeaseKeeperTests {
    private let sources = ["org-1", "org-2", "org-3", "org-4", "org-5"]

    private func keeper(
        _ url: String, _ replica: String, lines: Lines, metrics: ServiceMetrics = ServiceMetrics(version: "t"),
        clock: ManualClock? = nil, lease: Double = 3
    ) throws -> LeaseKeeper {
        let store = try PostgresStore(url: url)
        if let clock {
            return LeaseKeeper(
                store: store, replica: replica, sources: sources, settings: LeaseSettings(lease: lease),
                metrics: metrics,
                log: lines.logger, clock: { clock.now })
        }
        return LeaseKeeper(
            store: store, replica: replica, sources: sources, settings: LeaseSettings(lease: lease), metrics: metrics,
            log: lines.logger)
    }

    @Test("balance: a second replica gets its fair share without a restart; each source has one holder")
    func balance() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let lines = Lines()
        let metrics = ServiceMetrics(version: "t")
        // A long lease: nothing here may expire, however slow the machine.
        let first = try keeper(url, "r1", lines: lines, metrics: metrics, lease: 600)
        first.round()
        #expect(first.held.all.count == 5 && first.health.current.ready)
        let second = try keeper(url, "r2", lines: lines, metrics: metrics, lease: 600)
        second.round()
        #expect(second.held.all.isEmpty, "everything is held: nothing to claim yet")
        first.round()
        #expect(first.held.all.count == 3, "r1 gives up its surplus over ceil(5/2)")
        second.round()
        #expect(second.held.all.count == 2)
        #expect(Set(first.held.all.keys).isDisjoint(with: second.held.all.keys))
        #expect(Set(first.held.all.keys).union(second.held.all.keys) == Set(sources))
        // Moved sources have a new token; the store agrees with both replicas' views.
        let rows = try PostgresStore(url: url, migrate: false).leases().leases
        for row in rows {
            let view = row.holder == "r1" ? first.held.all : second.held.all
            #expect(view[row.source] == row.token, "\(row)")
        }
        #expect(second.held.all.values.allSatisfy { $0 == 2 }, "taken over after a release: token 2")
        let log = lines.all
        #expect(
            log.contains {
                $0.contains(#""msg":"lease released""#) && $0.contains(#""replica":"r1""#)
                    && $0.contains(#""token":"1""#) && $0.contains(#""source":"org-"#)
            }, "\(log)")
        #expect(log.filter { $0.contains(#""msg":"lease acquired""#) && $0.contains(#""replica":"r2""#) }.count == 2)
        let text = metrics.exposition()
        #expect(text.contains(#"auditwatch_cluster_organizations_held{replica="r1"} 3"#), "\(text)")
        #expect(text.contains(#"auditwatch_cluster_organizations_held{replica="r2"} 2"#))
        #expect(text.contains(#"auditwatch_lease_losses_total{replica="r1"} 0"#))
        #expect(text.contains(#"auditwatch_commit_conflicts_total{replica="r2"} 0"#))
        #expect(text.contains(#"auditwatch_lease_renewals_total{replica="r1"} "#))
    }

    @Test("a replica that stops renewing loses its leases to the other, which takes them with a higher token")
    func takeover() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let lines = Lines()
        let metrics = ServiceMetrics(version: "t")
        let first = try keeper(url, "r1", lines: lines, metrics: metrics)
        first.round()
        let tokens = first.held.all
        let second = try keeper(url, "r2", lines: lines, metrics: metrics)
        second.round()
        // r1 is paused past its lease (3 s) and its heartbeat is stale: r2 alone takes everything.
        Thread.sleep(forTimeInterval: 3.3)
        second.round()
        #expect(second.held.all.count == 5, "\(lines.all)")
        for (source, token) in second.held.all { #expect(token > tokens[source]!) }
        first.round()
        #expect(first.held.all.isEmpty)
        #expect(lines.all.filter { $0.contains(#""msg":"lease lost""#) && $0.contains(#""replica":"r1""#) }.count == 5)
        #expect(metrics.exposition().contains(#"auditwatch_lease_losses_total{replica="r1"} 5"#))
        // A commit under r1's old fence is refused.
        let store = try PostgresStore(url: url, migrate: false)
        let fence = LeaseFence(source: "org-1", holder: "r1", token: tokens["org-1"]!)
        do {
            try store.checkpoint(
                state: EngineState(), position: nil, alerts: [], engineSource: "org-1", sourceState: "{}",
                sinksFor: { _ in [] }, fence: fence)
            Issue.record("a stale commit went through")
        } catch {
            #expect(error.lostLease == fence)
        }
    }

    @Test("a replica that held nothing for longer than a lease keeps what it then claims")
    func idleThenClaims() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let lines = Lines()
        let first = try keeper(url, "r1", lines: lines)
        first.round()
        let clock = ManualClock()
        let second = try keeper(url, "r2", lines: lines, clock: clock)
        second.round()
        clock.advance(10)
        second.round()
        #expect(second.held.all.isEmpty)
        // r1 goes away cleanly: its leases released, its heartbeat removed.
        let store = try PostgresStore(url: url, migrate: false)
        for (source, token) in first.held.all { try store.release(source: source, replica: "r1", token: token) }
        try store.leave(replica: "r1")
        second.round()
        #expect(second.held.all.count == 5)
        clock.advance(0.5)
        second.round()
        #expect(second.held.all.count == 5, "\(lines.all.filter { $0.contains("lease lost") })")
        #expect(!lines.all.contains { $0.contains(#""msg":"lease lost""#) })
    }

    @Test("/readyz: unhealthy when the store cannot be reached, or renewal is late past half the lease")
    func health() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let lines = Lines()
        let clock = ManualClock()
        let keeper = try keeper(url, "r1", lines: lines, clock: clock)
        #expect(keeper.health.current.ready == false, "no round yet")
        keeper.round()
        #expect(keeper.health.current == (true, "ready"))
        clock.advance(1.6)
        #expect(keeper.health.current.ready == false)
        #expect(keeper.health.current.reason.contains("more than half the lease"), "\(keeper.health.current)")
        keeper.round()
        #expect(keeper.health.current.ready)
        server.stop()
        clock.advance(1)
        keeper.round()
        let state = keeper.health.current
        #expect(!state.ready && state.reason.contains("cannot reach the state store"), "\(state)")
        #expect(keeper.held.all.count == 5, "held until a whole lease passed without renewal")
        #expect(keeper.held.fence(for: "org-1") != nil, "within the local deadline: polls go on")
        // /readyz over HTTP: 503 with the reason, whatever the polling says.
        let service = ServiceReadiness()
        service.set(ready: true, reason: "ready")
        let health = try HealthServer(host: "127.0.0.1", port: 0, metrics: ServiceMetrics(version: "t")) {
            LeaseHealth.overall(leases: keeper.health, service: service)
        }
        let port = try await health.start()
        let answer = try await LoopbackHTTPRequest.sendFromThread("GET", "127.0.0.1:\(port)", "/readyz")
        await health.stop()
        #expect(answer.status == 503 && answer.body.contains("cannot reach the state store"), "\(answer)")
        #expect(LeaseHealth.overall(leases: nil, service: service) == (true, "ready"), "no leases: the service's own")
        // Past 0.9 of the lease (2.7 s) from the round that last renewed — the first one, or the one
        // 1.6 s later if the store's plan had it renew then (that depends on real time) — with no
        // round since (a starved keeper): still held here, yet no poll starts, as the store may have
        // given it away.
        clock.advance(1.8)
        #expect(keeper.held.all.count == 5)
        #expect(keeper.held.fence(for: "org-1") == nil && !keeper.held.isLive("org-1"), "past the local deadline")
        clock.advance(3)
        keeper.round()
        #expect(keeper.held.all.isEmpty, "a whole lease unrenewed: given up, whether or not the store answers")
        #expect(lines.all.contains { $0.contains(#""msg":"lease lost""#) && $0.contains("not renewed") })
    }
}
