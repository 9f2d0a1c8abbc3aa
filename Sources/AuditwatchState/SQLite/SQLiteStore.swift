public import AuditwatchCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The state file: engine memory, input positions and raised alerts in one SQLite database, the
/// default `StateStore`.
///
/// `commit` writes the engine state, the input position and the new alerts (with a pending
/// delivery per sink) in one transaction, so after a crash the file holds either all of a batch
/// or none of it; alert ids are deterministic, so a replayed batch never inserts an alert twice.
public final class SQLiteStore: StateStore {
    let database: SQLiteDatabase
    public let path: String
    public var location: String { path }
    /// The migrations this connection applied when it opened (none when the file was current).
    public private(set) var appliedMigrations: [Int] = []

    public init(path: String) throws(StateError) {
        self.path = path
        // SQLite takes an empty file for a new database; for a state file that is a state lost
        // (truncated, or never written), and starting afresh would raise every alert again.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue == 0
        {
            throw StateError(
                "state file '\(path)' is empty (0 bytes): not a state auditwatch wrote; restore it, or remove it to start afresh (every alert is then raised again)"
            )
        }
        var created: [Int] = []
        if path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
            created = try SQLiteStore.create(path)
        }
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
        appliedMigrations = created + (try migrate())
    }

    // A new state file is written beside its path and linked into place once it holds the schema,
    // so a process killed while creating it leaves no zero-byte file that the next start would
    // (rightly) refuse. `link` fails when another process created the file first: theirs is kept.
    private static func create(_ path: String) throws(StateError) -> [Int] {
        let scratch = path + ".new-\(ProcessInfo.processInfo.processIdentifier)"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(scratch + suffix) } }
        let applied: [Int]
        do {
            let store = try SQLiteStore(opening: scratch)
            applied = store.appliedMigrations
        }
        if link(scratch, path) == 0 { return applied }
        guard errno == EEXIST else {
            throw StateError("cannot create state file '\(path)': \(String(cString: strerror(errno)))")
        }
        return []
    }

    /// Opens (and migrates) `path` as it is, for `create`'s scratch file.
    private init(opening path: String) throws(StateError) {
        self.path = path
        database = try SQLiteDatabase(path: path)
        // The scratch file is closed before it is linked: a rollback journal leaves nothing beside it.
        try database.execute("PRAGMA synchronous = FULL;")
        appliedMigrations = try migrate()
    }

    /// Another connection to the same file.
    public func connect() throws(StateError) -> any StateStore { try SQLiteStore(path: path) }

    /// The schema version the file is at.
    public func schemaVersion() throws(StateError) -> Int {
        try database.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        let version = try database.prepare("SELECT value FROM meta WHERE key = 'schema'")
        guard try version.next() else { return 0 }
        guard let text = version.text(0), let number = Int(text) else {
            throw StateError("state file '\(path)' has schema '\(version.text(0) ?? "")', which is not a version")
        }
        return number
    }

    /// Brings the file to the newest schema, each step in its own transaction; the write lock
    /// (`BEGIN IMMEDIATE`) keeps two processes from migrating at once. Returns the steps applied.
    private func migrate() throws(StateError) -> [Int] {
        let newest = SchemaMigration.newest
        guard try schemaVersion() < newest else {
            let version = try schemaVersion()
            guard version == newest else {
                throw StateError(
                    "state file '\(path)' has schema \(version); this auditwatch reads schema \(newest) at most (a newer auditwatch wrote it)"
                )
            }
            return []
        }
        var applied: [Int] = []
        for migration in SchemaMigration.all {
            try database.transaction { () throws(StateError) in
                guard try schemaVersion() < migration.version else { return }
                try database.execute(migration.sqlite)
                try database.prepare(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ).bind([.text(String(migration.version))]).run()
                applied.append(migration.version)
            }
        }
        return applied
    }

    public func engineState(source: String) throws(StateError) -> EngineState? {
        let statement = try database.prepare("SELECT state FROM engine_state WHERE source = ?").bind([.text(source)])
        guard try statement.next() else { return nil }
        do {
            return try JSONDecoder().decode(EngineState.self, from: Data(statement.blob(0)))
        } catch {
            throw StateError("state file '\(path)' holds an engine state this version cannot read: \(error)")
        }
    }

    public func sourceState(_ source: String) throws(StateError) -> String? {
        let statement = try database.prepare("SELECT state FROM source_state WHERE source = ?").bind([.text(source)])
        return try statement.next() ? statement.text(0) : nil
    }

    public func position(for source: String) throws(StateError) -> InputPosition? {
        let statement = try database.prepare("SELECT position FROM input_positions WHERE source = ?").bind([
            .text(source)
        ])
        guard try statement.next(), let text = statement.text(0) else { return nil }
        return try? JSONDecoder().decode(InputPosition.self, from: Data(text.utf8))
    }

    public func commit(_ checkpoint: Checkpoint, sinksFor: (Alert) -> [String]) throws(StateError) -> [Alert] {
        let (state, position, alerts) = (checkpoint.state, checkpoint.position, checkpoint.alerts)
        let (engineSource, sourceState) = (checkpoint.engineSource, checkpoint.sourceState)
        let stateBlob: [UInt8]
        let positionText: String?
        do {
            stateBlob = Array(try JSONEncoder().encode(state))
            positionText = try position.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        } catch {
            throw StateError("cannot encode the engine state: \(error)")
        }
        return try database.transaction { () throws(StateError) -> [Alert] in
            try database.prepare(
                "INSERT INTO engine_state (source, state) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET state = excluded.state"
            ).bind([.text(engineSource), .blob(stateBlob)]).run()
            if let sourceState {
                try database.prepare(
                    "INSERT INTO source_state (source, state) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET state = excluded.state"
                ).bind([.text(engineSource), .text(sourceState)]).run()
            }
            if let position, let positionText {
                try database.prepare(
                    "INSERT INTO input_positions (source, position) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET position = excluded.position"
                )
                .bind([.text(position.source), .text(positionText)]).run()
            }
            let insertAlert = try database.prepare(
                "INSERT OR IGNORE INTO alerts (id, rule_id, level, last_at, alert) VALUES (?, ?, ?, ?, ?)")
            let insertDelivery = try database.prepare(
                "INSERT OR IGNORE INTO deliveries (alert_id, sink, status) VALUES (?, ?, 'pending')")
            var fresh: [Alert] = []
            for alert in alerts {
                let encoded: String
                do { encoded = String(decoding: try JSONEncoder().encode(alert), as: UTF8.self) } catch {
                    throw StateError("cannot encode alert \(alert.id): \(error)")
                }
                try insertAlert.bind([
                    .text(alert.id), .text(alert.ruleID), .text(alert.level.rawValue), .integer(alert.lastAt),
                    .text(encoded),
                ]).run()
                guard database.changes > 0 else { continue }  // raised before: a replay
                fresh.append(alert)
                if let silence = checkpoint.silenced[alert.id] {
                    try recordSilenced(alert, by: silence, sinks: sinksFor(alert))
                    continue
                }
                for sink in sinksFor(alert) { try insertDelivery.bind([.text(alert.id), .text(sink)]).run() }
            }
            return fresh
        }
    }

    public func alerts(sink: String?, status: DeliveryStatus?) throws(StateError) -> [StoredAlert] {
        var sql =
            "SELECT a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error FROM alerts a JOIN deliveries d ON d.alert_id = a.id"
        var conditions: [String] = []
        var values: [SQLiteDatabase.Value] = []
        if let sink { conditions.append("d.sink = ?"); values.append(.text(sink)) }
        if let status { conditions.append("d.status = ?"); values.append(.text(status.rawValue)) }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY a.sequence, d.sink"
        return try storedAlerts(try database.prepare(sql).bind(values))
    }

    public func allAlerts() throws(StateError) -> [Alert] {
        let statement = try database.prepare("SELECT alert FROM alerts ORDER BY sequence")
        var result: [Alert] = []
        while try statement.next() {
            if let text = statement.text(0), let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8)) {
                result.append(alert)
            }
        }
        return result
    }

    private static let dueSQL = """
        SELECT a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error FROM deliveries d JOIN alerts a ON a.id = d.alert_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND d.claimed_until <= ? AND (? IS NULL OR d.sink = ?)
        AND a.sequence > ? ORDER BY a.sequence, d.sink LIMIT ?
        """

    public func dueDeliveries(
        now: Int64, sink: String?, afterSequence: Int64, limit: Int
    ) throws(StateError) -> [StoredAlert] {
        try storedAlerts(try database.prepare(SQLiteStore.dueSQL).bind(dueValues(now, sink, afterSequence, limit)))
    }

    // One writer at a time (BEGIN IMMEDIATE takes the write lock before reading), so two
    // connections claiming at once see each other's claims.
    public func claimDue(
        now: Int64, sink: String?, afterSequence: Int64, limit: Int, claimant: String, until: Int64
    ) throws(StateError) -> [StoredAlert] {
        try database.transaction { () throws(StateError) -> [StoredAlert] in
            let due = try storedAlerts(
                try database.prepare(SQLiteStore.dueSQL).bind(dueValues(now, sink, afterSequence, limit)))
            let claim = try database.prepare(
                "UPDATE deliveries SET claimed_by = ?, claimed_until = ? WHERE alert_id = ? AND sink = ?")
            for entry in due {
                try claim.bind([.text(claimant), .integer(until), .text(entry.alert.id), .text(entry.sink)]).run()
            }
            return due
        }
    }

    private func dueValues(_ now: Int64, _ sink: String?, _ after: Int64, _ limit: Int) -> [SQLiteDatabase.Value] {
        [
            .integer(now), .integer(now), sink.map { .text($0) } ?? .null, sink.map { .text($0) } ?? .null,
            .integer(after), .integer(Int64(limit)),
        ]
    }

    /// Rows of (sequence, alert JSON, sink, status, attempts, last error); unreadable alerts are skipped.
    private func storedAlerts(_ statement: SQLiteDatabase.Statement) throws(StateError) -> [StoredAlert] {
        var result: [StoredAlert] = []
        while try statement.next() {
            guard let text = statement.text(1), let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8))
            else { continue }
            result.append(
                StoredAlert(
                    sequence: statement.integer(0), alert: alert, sink: statement.text(2) ?? "",
                    status: DeliveryStatus(rawValue: statement.text(3) ?? "") ?? .pending,
                    attempts: Int(statement.integer(4)), lastError: statement.isNull(5) ? nil : statement.text(5)))
        }
        return result
    }

    public func oldestDue(now: Int64) throws(StateError) -> String? {
        let statement = try database.prepare(
            """
            SELECT d.alert_id, d.sink FROM deliveries d JOIN alerts a ON a.id = d.alert_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY a.sequence, d.sink LIMIT 1
            """
        ).bind([.integer(now)])
        guard try statement.next() else { return nil }
        return (statement.text(0) ?? "") + " -> " + (statement.text(1) ?? "")
    }

    public func pendingSinks() throws(StateError) -> [String] {
        let statement = try database.prepare(
            "SELECT DISTINCT sink FROM deliveries WHERE status = 'pending' ORDER BY sink")
        var result: [String] = []
        while try statement.next() { if let sink = statement.text(0) { result.append(sink) } }
        return result
    }

    public func pause(sink: String, until: Int64) throws(StateError) {
        try database.prepare(
            "UPDATE deliveries SET next_attempt_at = MAX(next_attempt_at, ?) WHERE sink = ? AND status = 'pending'"
        )
        .bind([.integer(until), .text(sink)]).run()
    }

    public func pendingCount(sink: String?, now: Int64) throws(StateError) -> (pending: Int, due: Int) {
        let statement = try database.prepare(
            """
            SELECT COUNT(*), COALESCE(SUM(next_attempt_at <= ?), 0) FROM deliveries WHERE status = 'pending' AND (? IS NULL OR sink = ?)
            """
        ).bind([.integer(now), sink.map { .text($0) } ?? .null, sink.map { .text($0) } ?? .null])
        guard try statement.next() else { return (0, 0) }
        return (Int(statement.integer(0)), Int(statement.integer(1)))
    }

    public func failedCount() throws(StateError) -> Int {
        let statement = try database.prepare("SELECT COUNT(*) FROM deliveries WHERE status = 'failed'")
        return try statement.next() ? Int(statement.integer(0)) : 0
    }

    public func nextDueTime(sink: String?) throws(StateError) -> Int64? {
        let statement = try database.prepare(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending' AND (? IS NULL OR sink = ?)"
        ).bind([sink.map { .text($0) } ?? .null, sink.map { .text($0) } ?? .null])
        guard try statement.next(), !statement.isNull(0) else { return nil }
        return statement.integer(0)
    }

    public func recordAttempt(
        alertID: String, sink: String, status: DeliveryStatus, retryAt: Int64?, error: String?
    ) throws(StateError) {
        try database.prepare(
            """
            UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
            claimed_by = NULL, claimed_until = 0 WHERE alert_id = ? AND sink = ?
            """
        )
        .bind([
            .text(status.rawValue), .integer(retryAt ?? 0), error.map { .text($0) } ?? .null, .text(alertID),
            .text(sink),
        ]).run()
    }

    @discardableResult
    public func retryFailed(alertID: String?) throws(StateError) -> Int {
        if let alertID {
            try database.prepare(
                "UPDATE deliveries SET status = 'pending', next_attempt_at = 0, attempts = 0, first_attempt_at = NULL WHERE status = 'failed' AND alert_id = ?"
            ).bind([.text(alertID)]).run()
        } else {
            try database.prepare(
                "UPDATE deliveries SET status = 'pending', next_attempt_at = 0, attempts = 0, first_attempt_at = NULL WHERE status = 'failed'"
            ).run()
        }
        return database.changes
    }

    public func firstAttemptTime(alertID: String, sink: String, now: Int64) throws(StateError) -> Int64 {
        try database.prepare(
            "UPDATE deliveries SET first_attempt_at = COALESCE(first_attempt_at, ?) WHERE alert_id = ? AND sink = ?"
        )
        .bind([.integer(now), .text(alertID), .text(sink)]).run()
        let statement = try database.prepare("SELECT first_attempt_at FROM deliveries WHERE alert_id = ? AND sink = ?")
            .bind([.text(alertID), .text(sink)])
        return try statement.next() ? statement.integer(0) : now
    }

    public func markDelivered(_ ids: [String], sink: String) throws(StateError) {
        guard !ids.isEmpty else { return }
        try database.transaction { () throws(StateError) in
            let statement = try database.prepare(
                "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL, claimed_by = NULL, claimed_until = 0 WHERE alert_id = ? AND sink = ?"
            )
            for id in ids { try statement.bind([.text(id), .text(sink)]).run() }
        }
    }
}
