import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Synchronization
import Testing

@testable import AuditwatchState

@Suite("Leases and fencing in PostgreSQL (a real server)", .postgresServer)
struct LeaseStoreTests {
    private func open(_ fixture: StoreFixture) throws -> PostgresStore {
        try #require(try fixture.open() as? PostgresStore)
    }

    @Test("replicas racing for the same free sources: each source gets exactly one holder")
    func racingAcquire() async throws {
        let fixture = try StoreFixture(.postgresql)
        _ = try open(fixture)  // migrated once, before the race
        let sources = (1...20).map { "org-\($0)" }
        let location = fixture.location
        let winners = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
            for replica in ["a", "b", "c", "d"] {
                group.addTask {
                    let store = try PostgresStore(url: location, migrate: false)
                    var won: [(String, String)] = []
                    for source in sources {
                        if let lease = try store.acquire(source: source, replica: replica, duration: 30) {
                            #expect(lease.holder == replica)
                            won.append((source, replica))
                        }
                    }
                    return won
                }
            }
            var all: [String: [String]] = [:]
            for try await won in group { for (source, replica) in won { all[source, default: []].append(replica) } }
            return all
        }
        #expect(Set(winners.keys) == Set(sources))
        for source in sources { #expect(winners[source]?.count == 1, "\(source): \(winners[source] ?? [])") }
        let rows = try open(fixture).leases().leases
        #expect(rows.count == 20 && rows.allSatisfy { $0.token == 1 && winners[$0.source]?.first == $0.holder })
    }

    @Test("a held lease is refused to others; once expired another takes it with a higher token")
    func expiryTakeover() throws {
        let store = try open(try StoreFixture(.postgresql))
        let first = try #require(try store.acquire(source: "acme", replica: "a", duration: 0.5))
        #expect(first.token == 1 && first.holder == "a")
        #expect(try store.acquire(source: "acme", replica: "b", duration: 30) == nil)
        // Taking again a lease it still holds keeps the token (a renewal).
        #expect(try store.acquire(source: "acme", replica: "a", duration: 0.5)?.token == 1)
        Thread.sleep(forTimeInterval: 0.7)
        #expect(try store.renew(replica: "a", duration: 30).isEmpty, "an expired lease is not renewed")
        let second = try #require(try store.acquire(source: "acme", replica: "b", duration: 30))
        #expect(second.holder == "b" && second.token == 2)
        #expect(try store.renew(replica: "b", duration: 30).map(\.token) == [2])
        // Released: free at once, and the next holder gets the next token.
        try store.release(source: "acme", replica: "a", token: 1)  // not a's any more: no effect
        #expect(try store.leases().leases.first?.holder == "b")
        try store.release(source: "acme", replica: "b", token: 2)
        #expect(try store.leases().leases.first?.holder == nil)
        #expect(try store.acquire(source: "acme", replica: "a", duration: 30)?.token == 3)
    }

    @Test("a commit with a stale token is refused and writes nothing: engine state, cursor, alerts, outbox")
    func staleTokenCommitsNothing() throws {
        let fixture = try StoreFixture(.postgresql)
        let store = try open(fixture)
        let old = try #require(try store.acquire(source: "acme", replica: "a", duration: 0.3))
        var state = EngineState()
        state.maxSeen = 100
        try store.checkpoint(
            state: state, position: nil, alerts: [sampleAlert("a1")], engineSource: "acme",
            sourceState: #"{"cursor":1}"#, sinksFor: { _ in ["hook"] },
            fence: LeaseFence(source: "acme", holder: "a", token: old.token))
        Thread.sleep(forTimeInterval: 0.5)
        let taken = try #require(try store.acquire(source: "acme", replica: "b", duration: 30))
        #expect(taken.token == old.token + 1)
        var later = state
        later.maxSeen = 999
        for fence in [
            LeaseFence(source: "acme", holder: "a", token: old.token),  // the old holder, its old token
            LeaseFence(source: "acme", holder: "b", token: old.token),  // the right holder, a stale token
        ] {
            let other = try PostgresStore(url: fixture.location, migrate: false)
            do {
                try other.checkpoint(
                    state: later, position: nil, alerts: [sampleAlert("a2")], engineSource: "acme",
                    sourceState: #"{"cursor":2}"#, sinksFor: { _ in ["hook"] }, fence: fence)
                Issue.record("a commit under \(fence) went through")
            } catch {
                #expect(error.lostLease == fence, "\(error)")
            }
        }
        #expect(try store.engineState(source: "acme")?.maxSeen == 100)
        #expect(try store.sourceState("acme") == #"{"cursor":1}"#)
        #expect(try store.allAlerts().map(\.id) == ["a1"])
        #expect(try store.pendingCount(now: 0).pending == 1)
        // The holder's commit goes through.
        try store.checkpoint(
            state: later, position: nil, alerts: [sampleAlert("a2")], engineSource: "acme",
            sourceState: #"{"cursor":2}"#, sinksFor: { _ in ["hook"] },
            fence: LeaseFence(source: "acme", holder: "b", token: taken.token))
        #expect(try store.sourceState("acme") == #"{"cursor":2}"#)
        #expect(try store.allAlerts().map(\.id) == ["a1", "a2"])
    }

    @Test("an expired lease refuses its holder's commit even when nobody took it over")
    func expiredRefuses() throws {
        let store = try open(try StoreFixture(.postgresql))
        let lease = try #require(try store.acquire(source: "acme", replica: "a", duration: 0.2))
        Thread.sleep(forTimeInterval: 0.4)
        let fence = LeaseFence(source: "acme", holder: "a", token: lease.token)
        #expect(throws: StateError.self) {
            try store.checkpoint(
                state: EngineState(), position: nil, alerts: [], engineSource: "acme", sourceState: "{}",
                sinksFor: { _ in [] }, fence: fence)
        }
        #expect(try store.sourceState("acme") == nil)
    }

    @Test("heartbeats: replicas listed with the server's time; old ones forgotten")
    func heartbeats() throws {
        let store = try open(try StoreFixture(.postgresql))
        let seen = try store.heartbeat(replica: "a", startedAt: 1_700_000_000)
        try store.heartbeat(replica: "b", startedAt: 1_700_000_001)
        let (replicas, now) = try store.replicas()
        #expect(replicas.map(\.name) == ["a", "b"])
        #expect(replicas[0].startedAt == 1_700_000_000)
        #expect(now >= seen && abs(now - Date().timeIntervalSince1970) < 60)
        try store.forgetReplicas(before: now + 1)
        #expect(try store.replicas().replicas.isEmpty)
    }

    @Test(
        "a holder stopped inside its commit, its lease row locked, holds a takeover up only until the server ends its session"
    )
    func stoppedCommitReleasesItsLock() throws {
        let fixture = try StoreFixture(.postgresql)
        let holder = try open(fixture)
        let lease = try #require(try holder.acquire(source: "acme", replica: "a", duration: 1))
        // The commit's first steps, and then nothing: a replica SIGSTOPped right after its fence check.
        try holder.connection.execute("BEGIN")
        try holder.checkFence(LeaseFence(source: "acme", holder: "a", token: lease.token))
        Thread.sleep(forTimeInterval: 1.2)
        let location = fixture.location
        let taken = Mutex<Lease?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let lease = try? PostgresStore(url: location, migrate: false).acquire(
                source: "acme", replica: "b", duration: 30)
            taken.withLock { $0 = lease ?? nil }
            done.signal()
        }
        thread.start()
        // A guard against a hang (six times the server's idle-transaction limit), not a measure.
        let finished = done.wait(timeout: .now() + .seconds(PostgresConnection.idleTransactionLimit * 6)) == .success
        #expect(finished, "the takeover still waits on the stopped holder's lock")
        #expect(taken.withLock { $0 }.map { $0.holder == "b" && $0.token == lease.token + 1 } == true)
        // The stopped holder's session is gone: its commit can write nothing.
        #expect(throws: StateError.self) { try holder.connection.execute("COMMIT") }
    }

    @Test("a URL's own options= reach the server beside the idle-transaction limit, and win for a setting in both")
    func urlOptionsKept() throws {
        let fixture = try StoreFixture(.postgresql)
        let separator = fixture.location.contains("?") ? "&" : "?"
        func setting(_ name: String, _ options: String) throws -> String? {
            let store = try PostgresStore(url: fixture.location + separator + "options=" + options, migrate: false)
            return try store.connection.execute("SHOW \(name)").values.first?.first ?? nil
        }
        #expect(try setting("statement_timeout", "-c%20statement_timeout%3D12345") == "12345ms")
        #expect(try setting("idle_in_transaction_session_timeout", "-c%20statement_timeout%3D12345") == "10s")
        let ownLimit = "-c%20idle_in_transaction_session_timeout%3D7s"
        #expect(try setting("idle_in_transaction_session_timeout", ownLimit) == "7s")
        #expect(try setting("idle_in_transaction_session_timeout", "") == "10s")
        #expect(PostgresConnection.options(url: "postgresql://db/aw") == "-c idle_in_transaction_session_timeout=10s")
    }
}
