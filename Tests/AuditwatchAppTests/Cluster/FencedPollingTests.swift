import AuditwatchApp
import AuditwatchCore
import AuditwatchService
import AuditwatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import AuditwatchState

/// JSON log lines a test reads back.
private final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: Logger {
        .service(LogOutput(format: .json) { [self] line in lines.withLock { $0.append(line) } }, threshold: .debug)
    }
}

@Suite("Polling under leases: only held sources, fenced commits (real PostgreSQL)", .serialized)
struct FencedPollingTests {
    @Test(
        "a source taken over by another replica: the stale commit is refused and writes nothing, the source is dropped, and on re-acquiring it the previous holder's state is loaded"
    )
    func fencedPolling() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<3 { standIn.add(id: "e\(index)", at: now - 600 + Int64(index)) }
        let directory = try makeTemporaryDirectory("aw-fenced")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("key").path
        try standIn.adminKey.write(toFile: keyFile, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: CommandRunner.repositoryRoot.appendingPathComponent("rules"),
            to: directory.appendingPathComponent("rules"))
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [rules]
        state: \(url)
        sources:
          org-1: {admin_key: {file: \(keyFile)}, base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
          org-2: {admin_key: {file: \(keyFile)}, base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let lines = Lines()
        let metrics = ServiceMetrics(version: "t")
        let service = try PollingService(
            service: try ConfiguredService.load(config), options: EngineOptions(), log: lines.logger, metrics: metrics)
        let keeper = LeaseKeeper(
            store: try PostgresStore(url: url, migrate: false), replica: "r1", sources: ["org-1", "org-2"],
            // No keeper loop runs here (rounds by hand): a lease long enough for a slow machine.
            settings: LeaseSettings(lease: 3600), metrics: metrics, log: lines.logger)
        await keeper.roundNow()
        service.cluster = keeper
        #expect(keeper.held.all == ["org-1": 1, "org-2": 1])
        try service.pollOnce()
        let other = try PostgresStore(url: url, migrate: false)
        #expect(try other.engineState(source: "org-1")?.counters.events == 3)
        #expect(
            lines.all.contains {
                $0.contains(#""msg":"committed""#) && $0.contains(#""replica":"r1""#) && $0.contains(#""token":"1""#)
            })

        // r2 takes org-1 over (r1's lease expired while it was away), and commits its own state.
        try other.connection.execute("UPDATE leases SET expires_at = clock_timestamp() WHERE source = 'org-1'")
        let taken = try #require(try other.acquire(source: "org-1", replica: "r2", duration: 30))
        #expect(taken.token == 2)
        var theirs = try #require(try other.engineState(source: "org-1"))
        theirs.counters.events = 1000
        let theirSource = try #require(try other.sourceState("org-1"))
        try other.checkpoint(
            state: theirs, position: nil, alerts: [], engineSource: "org-1", sourceState: theirSource,
            sinksFor: { _ in [] }, fence: LeaseFence(source: "org-1", holder: "r2", token: 2))
        standIn.add(id: "e9", at: now - 100)
        try service.pollOnce()
        #expect(try other.engineState(source: "org-1")?.counters.events == 1000, "r1's stale commit wrote nothing")
        #expect(try other.sourceState("org-1") == theirSource)
        #expect(try other.engineState(source: "org-2")?.counters.events == 4, "org-2 is still r1's")
        #expect(keeper.held.all == ["org-2": 1], "org-1 dropped")
        #expect(
            lines.all.contains {
                $0.contains(#""msg":"commit refused: lease lost""#) && $0.contains(#""source":"org-1""#)
            })
        #expect(lines.all.contains { $0.contains(#""msg":"lease lost""#) && $0.contains(#""token":"1""#) })
        #expect(metrics.exposition().contains(#"auditwatch_commit_conflicts_total{replica="r1"} 1"#))
        let polledBefore = lines.all.filter { $0.contains(#""msg":"polled""#) && $0.contains(#""source":"org-1""#) }
            .count
        try service.pollOnce()
        #expect(
            lines.all.filter { $0.contains(#""msg":"polled""#) && $0.contains(#""source":"org-1""#) }.count
                == polledBefore,
            "a source not held is not polled")

        // r2 gives org-1 up; r1 takes it again (token 3) and goes on from r2's committed state.
        try other.release(source: "org-1", replica: "r2", token: 2)
        await keeper.roundNow()
        #expect(keeper.held.all == ["org-1": 3, "org-2": 1])
        standIn.add(id: "e10", at: now - 50)
        try service.pollOnce()
        // r2's state (1000), then e9 (which r1's refused commit never recorded) and e10.
        #expect(try other.engineState(source: "org-1")?.counters.events == 1002)
        #expect(try other.engineState(source: "org-2")?.counters.events == 5)
    }
}
