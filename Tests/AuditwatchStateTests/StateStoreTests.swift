import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Synchronization
import Testing

@testable import AuditwatchState

func temporaryStatePath() throws -> String {
    let directory = try makeTemporaryDirectory("aw-state")
    return directory.appendingPathComponent("state.sqlite").path
}

@Suite("State store (real SQLite and a real PostgreSQL server)", .postgresServer)
struct StateStoreTests {
    @Test(
        "a checkpoint round-trips engine state, source state, position and alerts across reopening",
        arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        var state = EngineState()
        state.maxSeen = 1234
        state.counters.events = 7
        let position = InputPosition(
            source: "/x/events.jsonl", byteOffset: 4096, line: 12, events: 7, fingerprint: "abc")
        do {
            let store = try fixture.open()
            let fresh = try store.checkpoint(
                state: state, position: position, alerts: [sampleAlert("a1"), sampleAlert("a2", at: 20)],
                sinks: ["stdout"])
            #expect(fresh.map(\.id) == ["a1", "a2"])
            try store.checkpoint(
                state: state, position: nil, alerts: [], engineSource: "org-1", sourceState: #"{"cursor":"c9"}"#
            ) { _ in [] }
        }
        let reopened = try fixture.open()
        #expect(try reopened.engineState() == state)
        #expect(try reopened.engineState(source: "org-1") == state)
        #expect(try reopened.engineState(source: "org-2") == nil)
        #expect(try reopened.sourceState("org-1") == #"{"cursor":"c9"}"#)
        #expect(try reopened.sourceState("org-2") == nil)
        #expect(try reopened.position(for: "/x/events.jsonl") == position)
        #expect(try reopened.position(for: "other") == nil)
        let stored = try reopened.alerts(sink: "stdout", status: .pending)
        #expect(stored.map(\.alert.id) == ["a1", "a2"])
        #expect(stored.first?.alert == sampleAlert("a1"))
        #expect(stored.map(\.sequence) == stored.map(\.sequence).sorted())
    }

    @Test("a replayed alert is not inserted or delivered twice", arguments: StoreKind.allCases)
    func idempotent(kind: StoreKind) throws {
        let store = try StoreFixture(kind).open()
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("a1")], sinks: ["stdout"])
        try store.markDelivered(["a1"], sink: "stdout")
        let again = try store.checkpoint(
            state: EngineState(), position: nil, alerts: [sampleAlert("a1"), sampleAlert("a3")], sinks: ["stdout"])
        #expect(again.map(\.id) == ["a3"])
        #expect(try store.alerts(sink: "stdout", status: .sent).map(\.alert.id) == ["a1"])
        #expect(try store.alerts(sink: "stdout", status: .pending).map(\.alert.id) == ["a3"])
        #expect(try store.allAlerts().map(\.id) == ["a1", "a3"])
    }

    @Test("the outbox: due, retry, pause, dead letter and re-queue", arguments: StoreKind.allCases)
    func outbox(kind: StoreKind) throws {
        let store = try StoreFixture(kind).open()
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("a1"), sampleAlert("a2")]) {
            $0.id == "a1" ? ["slack", "pager"] : ["slack"]
        }
        #expect(try store.pendingSinks() == ["pager", "slack"])
        #expect(try store.pendingCount(now: 100) == (3, 3))
        #expect(try store.pendingCount(sink: "slack", now: 100) == (2, 2))
        #expect(try store.oldestDue(now: 100) == "a1 -> pager")
        let due = try store.dueDeliveries(now: 100, sink: "slack", afterSequence: 0, limit: 10)
        #expect(due.map(\.alert.id) == ["a1", "a2"])
        #expect(try store.dueDeliveries(now: 100, sink: nil, afterSequence: due[0].sequence, limit: 10).count == 1)

        #expect(try store.firstAttemptTime(alertID: "a1", sink: "slack", now: 100) == 100)
        #expect(try store.firstAttemptTime(alertID: "a1", sink: "slack", now: 150) == 100)
        try store.recordAttempt(alertID: "a1", sink: "slack", status: .pending, retryAt: 160, error: "HTTP 503")
        #expect(try store.pendingCount(sink: "slack", now: 150) == (2, 1))
        #expect(try store.nextDueTime(sink: "slack") == 0)
        try store.pause(sink: "slack", until: 200)
        #expect(try store.nextDueTime(sink: "slack") == 200)
        #expect(try store.nextDueTime() == 0)  // pager is not paused
        #expect(try store.dueDeliveries(now: 199, sink: "slack", afterSequence: 0, limit: 10).isEmpty)

        try store.recordAttempt(alertID: "a1", sink: "slack", status: .failed, error: "gave up")
        try store.recordAttempt(alertID: "a2", sink: "slack", status: .sent)
        #expect(try store.failedCount() == 1)
        let dead = try store.alerts(status: .failed)
        #expect(dead.map(\.alert.id) == ["a1"])
        #expect(dead.first?.attempts == 2)
        #expect(dead.first?.lastError == "gave up")
        #expect(try store.retryFailed(alertID: "nope") == 0)
        #expect(try store.retryFailed(alertID: nil) == 1)
        #expect(try store.failedCount() == 0)
        #expect(try store.alerts(sink: "slack", status: .pending).first?.attempts == 0)
        #expect(try store.firstAttemptTime(alertID: "a1", sink: "slack", now: 300) == 300)
    }

    @Test(
        "a claimed delivery is no one else's until its claim ends or its attempt is recorded",
        arguments: StoreKind.allCases)
    func claims(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let first = try fixture.open()
        let second = try first.connect()
        try first.checkpoint(
            state: EngineState(), position: nil, alerts: (1...3).map { sampleAlert("c\($0)") }, sinks: ["hook"])
        // Real Unix seconds: a PostgreSQL store measures claims on the server's clock.
        let now = Int64(Date().timeIntervalSince1970)
        let mine = try first.claimDue(now: now, sink: "hook", afterSequence: 0, limit: 2, claimant: "a", until: now + 2)
        #expect(mine.map(\.alert.id) == ["c1", "c2"])
        let theirs = try second.claimDue(
            now: now, sink: nil, afterSequence: 0, limit: 10, claimant: "b", until: now + 2)
        #expect(theirs.map(\.alert.id) == ["c3"])
        #expect(try second.dueDeliveries(now: now, sink: nil, afterSequence: 0, limit: 10).isEmpty)
        // Recorded: released (and due again at its retry time).
        try first.recordAttempt(alertID: "c1", sink: "hook", status: .pending, retryAt: now, error: "HTTP 500")
        #expect(
            try second.claimDue(now: now, sink: nil, afterSequence: 0, limit: 10, claimant: "b", until: now + 600)
                .map(\.alert.id) == ["c1"])
        // A claim that ran out (its holder died) is anyone's again: wait past its end (3 s at
        // most, whole seconds rounding up), asking with the clock of the moment.
        let deadline = Date().addingTimeInterval(10)
        var retaken: [String] = []
        while retaken.count < 2 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.25)
            let later = Int64(Date().timeIntervalSince1970)
            retaken += try second.claimDue(
                now: later, sink: nil, afterSequence: 0, limit: 10, claimant: "b", until: later + 600
            ).map(\.alert.id)
        }
        #expect(retaken.sorted() == ["c2", "c3"])
    }

    @Test("a replica whose clock runs an hour ahead cannot take a live claim of PostgreSQL's")
    func claimUnderClockSkew() throws {
        let fixture = try StoreFixture(.postgresql)
        let first = try fixture.open()
        let second = try first.connect()
        try first.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("s1")], sinks: ["hook"])
        let now = Int64(Date().timeIntervalSince1970)
        let mine = try first.claimDue(now: now, sink: nil, afterSequence: 0, limit: 5, claimant: "a", until: now + 60)
        #expect(mine.map(\.alert.id) == ["s1"])
        let ahead = now + 3_600
        #expect(
            try second.claimDue(now: ahead, sink: nil, afterSequence: 0, limit: 5, claimant: "b", until: ahead + 60)
                .isEmpty, "a fast clock saw a live claim as run out")
        #expect(try second.dueDeliveries(now: ahead, sink: nil, afterSequence: 0, limit: 5).isEmpty)
    }

    @Test("two connections racing for deliveries never both get one", arguments: StoreKind.allCases)
    func claimRace(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = try fixture.open()
        let total = 120
        try store.checkpoint(
            state: EngineState(), position: nil, alerts: (0..<total).map { sampleAlert("r\($0)") }, sinks: ["hook"])
        let claimed = Mutex<[String: [String]]>([:])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let claimant = "replica-\(index)"
            do {
                let connection = try fixture.open()
                while true {
                    let batch = try connection.claimDue(
                        now: 100, sink: nil, afterSequence: 0, limit: 3, claimant: claimant, until: 1_000)
                    if batch.isEmpty { break }
                    claimed.withLock { $0[claimant, default: []] += batch.map(\.alert.id) }
                }
            } catch {
                failures.withLock { $0.append("\(claimant): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let byClaimant = claimed.withLock { $0 }
        let all = byClaimant.values.flatMap { $0 }
        #expect(all.count == total, "every delivery claimed exactly once")
        #expect(Set(all).count == total, "no delivery claimed twice")
    }

    @Test(
        "migrations: a new store is at the newest schema; opening again applies nothing", arguments: StoreKind.allCases)
    func migrations(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let first = try StoreLocation(fixture.location).migrate()
        #expect(first.version == SchemaMigration.newest)
        #expect(first.applied == SchemaMigration.all.map(\.version))
        let again = try StoreLocation(fixture.location).migrate()
        #expect(again.version == SchemaMigration.newest)
        #expect(again.applied == [])
    }

    @Test("a store a newer auditwatch migrated is refused, not written", arguments: StoreKind.allCases)
    func newerSchemaRefused(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        _ = try fixture.open()
        switch kind {
        case .sqlite:
            try SQLiteDatabase(path: fixture.location).execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
        case .postgresql:
            try PostgresConnection(url: fixture.location, password: nil).execute(
                "INSERT INTO schema_migrations (version, summary) VALUES (99, 'from the future')")
        }
        #expect {
            try fixture.open()
        } throws: { error in
            (error as? StateError)?.message.contains("schema 99") == true
        }
    }
}

@Suite("PostgreSQL store specifics", .postgresServer)
struct PostgresStoreTests {
    @Test("replicas starting together on an empty database migrate it once (advisory lock)")
    func concurrentMigration() throws {
        let fixture = try StoreFixture(.postgresql)
        let applied = Mutex<[[Int]]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let result = try StoreLocation(fixture.location).migrate()
                applied.withLock { $0.append(result.applied) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let runs = applied.withLock { $0 }
        #expect(runs.count == 4)
        #expect(runs.filter { !$0.isEmpty } == [SchemaMigration.all.map(\.version)], "\(runs)")
    }

    @Test("run --state postgresql://… prints what a SQLite file gives; a second run raises nothing again")
    func runAgainstDatabase() throws {
        let url = try StoreFixture(.postgresql).location
        let file = try temporaryStatePath()
        let events = "examples/logs/acme-day.jsonl"
        let onFile = try CommandRunner.run(["run", "--events", events, "--state", file, "--output", "jsonl"])
        let first = try CommandRunner.run(["run", "--events", events, "--state", url, "--output", "jsonl"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdoutLines.isEmpty)
        #expect(first.stdout == onFile.stdout)
        let again = try CommandRunner.run(["run", "--events", events, "--state", url, "--output", "jsonl"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.isEmpty, "resumed after the last committed event")
        let migrate = try CommandRunner.run(["migrate", "--state", url])
        #expect(
            migrate.stdout
                == "state schema at version \(SchemaMigration.newest) of \(SchemaMigration.newest); applied now: none\n"
        )
    }

    @Test("messages name the database without its password")
    func redactedLocation() throws {
        #expect(
            PostgresConnection.redacted("postgresql://aw:s3cret@db:5432/aw?sslmode=verify-full")
                == "postgresql://aw@db:5432/aw?sslmode=verify-full")
        #expect(PostgresConnection.redacted("postgresql://aw@db/aw") == "postgresql://aw@db/aw")
        #expect(PostgresConnection.redacted("postgresql://db/a:b@c") == "postgresql://db/a:b@c")
        let server = try #require(PostgresScope.server)
        let wrong = "postgresql://nobody-here:s3cret@127.0.0.1:\(server.port)/postgres"
        #expect {
            try PostgresStore(url: wrong)
        } throws: { error in
            let message = (error as? StateError)?.message ?? ""
            return message.contains("cannot connect to state database") && !message.contains("s3cret")
        }
    }
}

@Suite("SQLite state file specifics")
struct SQLiteStoreTests {
    @Test("a file that is not a state file is refused clearly")
    func notAStateFile() throws {
        let path = try temporaryStatePath()
        try "this is not sqlite".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StateError.self) { try SQLiteStore(path: path) }
    }

    @Test("a state file from before numbered migrations (schema 1) is brought to the newest")
    func upgradesSchemaOne() throws {
        let path = try temporaryStatePath()
        let database = try SQLiteDatabase(path: path)
        try database.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        try database.execute(SchemaMigration.all[0].sqlite)
        try database.execute("INSERT INTO meta VALUES ('schema', '1')")
        try database.execute(
            "INSERT INTO alerts (id, rule_id, level, last_at, alert) VALUES ('old', 'r', 'high', 1, '{}')")
        let store = try SQLiteStore(path: path)
        #expect(store.appliedMigrations == Array(2...SchemaMigration.newest))
        #expect(try store.schemaVersion() == SchemaMigration.newest)
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("new")], sinks: ["hook"])
        #expect(
            try store.claimDue(now: 1, sink: nil, afterSequence: 0, limit: 5, claimant: "x", until: 9).map(\.alert.id)
                == ["new"])
    }
}

@Suite("A zero-byte state file")
struct EmptyStateFileTests {
    @Test("is an error, not a fresh state that would raise every alert again")
    func zeroBytes() throws {
        let directory = try makeTemporaryDirectory("aw-empty")
        let path = directory.appendingPathComponent("state.sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: StateError.self) { try SQLiteStore(path: path) }
        let outcome = try CommandRunner.run(["run", "--events", "examples/logs/acme-day.jsonl", "--state", path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("is empty (0 bytes)"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }
}
