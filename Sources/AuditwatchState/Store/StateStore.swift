import AuditwatchCore
import Foundation

/// Where a source was read up to: enough to resume exactly after the last committed event.
public struct InputPosition: Codable, Sendable, Equatable {
    /// The input's name (an absolute path, or `-`).
    public var source: String
    /// JSON Lines: the byte offset of the first unread line. Whole documents: 0.
    public var byteOffset: Int64
    /// Lines read so far (for messages after a resume).
    public var line: Int
    /// Events read so far from this source.
    public var events: Int
    /// Identifies the file's content (a digest of its start), so a replaced file is not resumed mid-way.
    public var fingerprint: String

    public init(source: String, byteOffset: Int64, line: Int, events: Int, fingerprint: String) {
        self.source = source
        self.byteOffset = byteOffset
        self.line = line
        self.events = events
        self.fingerprint = fingerprint
    }
}

/// An alert as the store keeps it, with its delivery to one sink.
public struct StoredAlert: Sendable {
    public var sequence: Int64
    public var alert: Alert
    public var sink: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var lastError: String?
}

/// Where an alert's delivery to a sink stands.
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case pending, sent, failed
}

/// The state file: engine memory, input positions and raised alerts in one SQLite database.
///
/// `checkpoint` writes the engine state, the input position and the new alerts (with a pending
/// delivery per sink) in one transaction, so after a crash the file holds either all of a batch
/// or none of it; alert ids are deterministic, so a replayed batch never inserts an alert twice.
public final class StateStore {
    private let database: SQLiteDatabase
    public let path: String
    static let schemaVersion = 1

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
        database = try SQLiteDatabase(path: path)
        try database.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS engine_state (source TEXT PRIMARY KEY, state BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS source_state (source TEXT PRIMARY KEY, state TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS input_positions (source TEXT PRIMARY KEY, position TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS alerts (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                rule_id TEXT NOT NULL,
                level TEXT NOT NULL,
                last_at INTEGER NOT NULL,
                alert TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS deliveries (
                alert_id TEXT NOT NULL REFERENCES alerts(id),
                sink TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL DEFAULT 0,
                first_attempt_at INTEGER,
                last_error TEXT,
                PRIMARY KEY (alert_id, sink));
            CREATE INDEX IF NOT EXISTS deliveries_by_status ON deliveries (sink, status, next_attempt_at);
            """)
        let version = try database.prepare("SELECT value FROM meta WHERE key = 'schema'")
        if try version.next() {
            guard version.text(0) == String(StateStore.schemaVersion) else {
                throw StateError(
                    "state file '\(path)' has schema \(version.text(0) ?? "?"); this auditwatch reads schema \(StateStore.schemaVersion)"
                )
            }
        } else {
            try database.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").bind([
                .text(String(StateStore.schemaVersion))
            ]).run()
        }
    }

    /// The saved engine state of `source` (each organization has its own windows), if any.
    public func engineState(source: String = "default") throws(StateError) -> EngineState? {
        let statement = try database.prepare("SELECT state FROM engine_state WHERE source = ?").bind([.text(source)])
        guard try statement.next() else { return nil }
        do {
            return try JSONDecoder().decode(EngineState.self, from: Data(statement.blob(0)))
        } catch {
            throw StateError("state file '\(path)' holds an engine state this version cannot read: \(error)")
        }
    }

    /// A source's own state (a poller's cursor and seen ids), as the JSON it saved.
    public func sourceState(_ source: String) throws(StateError) -> String? {
        let statement = try database.prepare("SELECT state FROM source_state WHERE source = ?").bind([.text(source)])
        return try statement.next() ? statement.text(0) : nil
    }

    /// Where `source` was read up to.
    public func position(for source: String) throws(StateError) -> InputPosition? {
        let statement = try database.prepare("SELECT position FROM input_positions WHERE source = ?").bind([
            .text(source)
        ])
        guard try statement.next(), let text = statement.text(0) else { return nil }
        return try? JSONDecoder().decode(InputPosition.self, from: Data(text.utf8))
    }

    /// Commits a batch: the engine state after it, the input position after it, and its alerts
    /// with a pending delivery to each of `sinks`. Returns the alerts that were new.
    @discardableResult
    public func checkpoint(
        state: EngineState, position: InputPosition?, alerts: [Alert], sinks: [String]
    ) throws(StateError) -> [Alert] {
        try checkpoint(state: state, position: position, alerts: alerts) { _ in sinks }
    }

    /// As above, with the sinks chosen per alert (routing).
    @discardableResult
    public func checkpoint(
        state: EngineState, position: InputPosition?, alerts: [Alert], engineSource: String = "default",
        sourceState: String? = nil, sinksFor: (Alert) -> [String]
    ) throws(StateError) -> [Alert] {
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
                for sink in sinksFor(alert) { try insertDelivery.bind([.text(alert.id), .text(sink)]).run() }
            }
            return fresh
        }
    }

    /// Alerts with their delivery to `sink`, oldest first; `status` nil for all.
    public func alerts(sink: String? = nil, status: DeliveryStatus? = nil) throws(StateError) -> [StoredAlert] {
        var sql =
            "SELECT a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error FROM alerts a JOIN deliveries d ON d.alert_id = a.id"
        var conditions: [String] = []
        var values: [SQLiteDatabase.Value] = []
        if let sink { conditions.append("d.sink = ?"); values.append(.text(sink)) }
        if let status { conditions.append("d.status = ?"); values.append(.text(status.rawValue)) }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY a.sequence, d.sink"
        let statement = try database.prepare(sql).bind(values)
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

    /// Every alert raised, oldest first, whatever its deliveries.
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

    /// Pending deliveries whose next attempt is due at `now` (Unix seconds), oldest alert first:
    /// to `sink` only when given, and after alert `afterSequence` (so a caller pages through
    /// everything due without a cap, each delivery once).
    public func dueDeliveries(
        now: Int64, sink: String? = nil, afterSequence: Int64 = 0, limit: Int = 500
    ) throws(StateError) -> [StoredAlert] {
        let statement = try database.prepare(
            """
            SELECT a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error FROM deliveries d JOIN alerts a ON a.id = d.alert_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (? IS NULL OR d.sink = ?) AND a.sequence > ?
            ORDER BY a.sequence, d.sink LIMIT ?
            """
        ).bind([
            .integer(now), sink.map { .text($0) } ?? .null, sink.map { .text($0) } ?? .null,
            .integer(afterSequence), .integer(Int64(limit)),
        ])
        var result: [StoredAlert] = []
        while try statement.next() {
            guard let text = statement.text(1), let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8))
            else { continue }
            result.append(
                StoredAlert(
                    sequence: statement.integer(0), alert: alert, sink: statement.text(2) ?? "", status: .pending,
                    attempts: Int(statement.integer(4)), lastError: statement.isNull(5) ? nil : statement.text(5)))
        }
        return result
    }

    /// The oldest delivery due at `now` (alert id and sink), if any: the head of the queue.
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

    /// The sinks that have pending deliveries.
    public func pendingSinks() throws(StateError) -> [String] {
        let statement = try database.prepare(
            "SELECT DISTINCT sink FROM deliveries WHERE status = 'pending' ORDER BY sink")
        var result: [String] = []
        while try statement.next() { if let sink = statement.text(0) { result.append(sink) } }
        return result
    }

    /// Holds every pending delivery to `sink` until `until` at least (a target that said 429 or
    /// Retry-After is paused whole, and the pause outlives a restart). Not counted as an attempt.
    public func pause(sink: String, until: Int64) throws(StateError) {
        try database.prepare(
            "UPDATE deliveries SET next_attempt_at = MAX(next_attempt_at, ?) WHERE sink = ? AND status = 'pending'"
        )
        .bind([.integer(until), .text(sink)]).run()
    }

    /// Pending deliveries to `sink`: (all, due at `now`).
    public func pendingCount(sink: String? = nil, now: Int64) throws(StateError) -> (pending: Int, due: Int) {
        let statement = try database.prepare(
            """
            SELECT COUNT(*), COALESCE(SUM(next_attempt_at <= ?), 0) FROM deliveries WHERE status = 'pending' AND (? IS NULL OR sink = ?)
            """
        ).bind([.integer(now), sink.map { .text($0) } ?? .null, sink.map { .text($0) } ?? .null])
        guard try statement.next() else { return (0, 0) }
        return (Int(statement.integer(0)), Int(statement.integer(1)))
    }

    /// Dead-lettered deliveries.
    public func failedCount() throws(StateError) -> Int {
        let statement = try database.prepare("SELECT COUNT(*) FROM deliveries WHERE status = 'failed'")
        return try statement.next() ? Int(statement.integer(0)) : 0
    }

    /// The earliest time a pending delivery to `sink` is due, if any is pending.
    public func nextDueTime(sink: String) throws(StateError) -> Int64? {
        let statement = try database.prepare(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending' AND sink = ?"
        ).bind([.text(sink)])
        guard try statement.next(), !statement.isNull(0) else { return nil }
        return statement.integer(0)
    }

    /// The earliest time a pending delivery is due, if any is pending.
    public func nextDueTime() throws(StateError) -> Int64? {
        let statement = try database.prepare("SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'")
        guard try statement.next(), !statement.isNull(0) else { return nil }
        return statement.integer(0)
    }

    /// Records one delivery attempt: sent, due again at `retryAt`, or failed for good (dead letter).
    /// `error` must already be free of secrets.
    public func recordAttempt(
        alertID: String, sink: String, status: DeliveryStatus, retryAt: Int64? = nil, error: String? = nil
    ) throws(StateError) {
        try database.prepare(
            "UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE alert_id = ? AND sink = ?"
        )
        .bind([
            .text(status.rawValue), .integer(retryAt ?? 0), error.map { .text($0) } ?? .null, .text(alertID),
            .text(sink),
        ]).run()
    }

    /// Puts failed deliveries back in the queue: those of alert `id` (any sink), or all when nil.
    /// Returns how many were re-queued.
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

    /// When a delivery was first attempted (its retry budget runs from there); set on first call.
    public func firstAttemptTime(alertID: String, sink: String, now: Int64) throws(StateError) -> Int64 {
        try database.prepare(
            "UPDATE deliveries SET first_attempt_at = COALESCE(first_attempt_at, ?) WHERE alert_id = ? AND sink = ?"
        )
        .bind([.integer(now), .text(alertID), .text(sink)]).run()
        let statement = try database.prepare("SELECT first_attempt_at FROM deliveries WHERE alert_id = ? AND sink = ?")
            .bind([.text(alertID), .text(sink)])
        return try statement.next() ? statement.integer(0) : now
    }

    /// Records that `ids` reached `sink`.
    public func markDelivered(_ ids: [String], sink: String) throws(StateError) {
        guard !ids.isEmpty else { return }
        try database.transaction { () throws(StateError) in
            let statement = try database.prepare(
                "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL WHERE alert_id = ? AND sink = ?"
            )
            for id in ids { try statement.bind([.text(id), .text(sink)]).run() }
        }
    }
}
