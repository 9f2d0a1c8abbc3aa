public import AuditwatchCore
import Foundation

/// The state in a PostgreSQL database (`state: postgresql://…`): the same tables, numbering of
/// migrations and semantics as the SQLite file, for processes on several machines.
///
/// Migrations run when the first connection opens, under a session advisory lock, so replicas
/// starting together migrate once. Delivery claims take their rows `FOR UPDATE SKIP LOCKED`:
/// two connections claiming at once never get the same delivery, and neither waits for the other.
public final class PostgresStore: StateStore {
    let connection: PostgresConnection
    private let url: String
    private let password: String?
    public var location: String { connection.location }
    /// The migrations this connection applied when it opened (none when the database was current).
    public private(set) var appliedMigrations: [Int] = []

    /// The advisory lock key that serializes migrations ("awsm", auditwatch schema migrations).
    static let migrationLock: Int64 = 0x6177_736D

    /// Connects to `url` (a libpq connection URI); `password` overrides any in the URL.
    /// `migrate` false skips the schema step (a second connection of a process that did it).
    public init(url: String, password: String? = nil, migrate: Bool = true) throws(StateError) {
        self.url = url
        self.password = password
        connection = try PostgresConnection(url: url, password: password)
        if migrate { appliedMigrations = try self.migrate() }
    }

    public func connect() throws(StateError) -> any StateStore {
        try PostgresStore(url: url, password: password, migrate: false)
    }

    /// The schema version the database is at (0: never migrated).
    public func schemaVersion() throws(StateError) -> Int {
        let exists = try connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
        guard exists.values.first?.first == "t" else { return 0 }
        let rows = try connection.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return Int(rows.values.first?.first.flatMap { $0 } ?? "0") ?? 0
    }

    private func migrate() throws(StateError) -> [Int] {
        try connection.execute("SELECT pg_advisory_lock($1)", [String(PostgresStore.migrationLock)])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [String(PostgresStore.migrationLock)]) }
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, summary TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """)
        let current = try schemaVersion()
        guard current <= SchemaMigration.newest else {
            throw StateError(
                "state database \(location) has schema \(current); this auditwatch reads schema \(SchemaMigration.newest) at most (a newer auditwatch migrated it)"
            )
        }
        var applied: [Int] = []
        for migration in SchemaMigration.all where migration.version > current {
            try connection.transaction { () throws(StateError) in
                try connection.execute(migration.postgres)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, summary) VALUES ($1, $2)",
                    [String(migration.version), migration.summary])
            }
            applied.append(migration.version)
        }
        return applied
    }

    public func engineState(source: String) throws(StateError) -> EngineState? {
        let rows = try connection.execute("SELECT state FROM engine_state WHERE source = $1", [source])
        guard let text = rows.values.first?.first.flatMap({ $0 }) else { return nil }
        do {
            return try JSONDecoder().decode(EngineState.self, from: Data(text.utf8))
        } catch {
            throw StateError("state database \(location) holds an engine state this version cannot read: \(error)")
        }
    }

    public func sourceState(_ source: String) throws(StateError) -> String? {
        try connection.execute("SELECT state FROM source_state WHERE source = $1", [source]).values.first?.first
            .flatMap { $0 }
    }

    public func position(for source: String) throws(StateError) -> InputPosition? {
        let rows = try connection.execute("SELECT position FROM input_positions WHERE source = $1", [source])
        guard let text = rows.values.first?.first.flatMap({ $0 }) else { return nil }
        return try? JSONDecoder().decode(InputPosition.self, from: Data(text.utf8))
    }

    public func commit(_ checkpoint: Checkpoint, sinksFor: (Alert) -> [String]) throws(StateError) -> [Alert] {
        let stateText: String
        let positionText: String?
        var encodedAlerts: [(Alert, String)] = []
        do {
            let encoder = JSONEncoder()
            stateText = String(decoding: try encoder.encode(checkpoint.state), as: UTF8.self)
            positionText = try checkpoint.position.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        } catch {
            throw StateError("cannot encode the engine state: \(error)")
        }
        for alert in checkpoint.alerts {
            do { encodedAlerts.append((alert, String(decoding: try JSONEncoder().encode(alert), as: UTF8.self))) } catch
            {
                throw StateError("cannot encode alert \(alert.id): \(error)")
            }
        }
        return try connection.transaction { () throws(StateError) -> [Alert] in
            if let fence = checkpoint.fence { try checkFence(fence) }
            try connection.execute(
                "INSERT INTO engine_state (source, state) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET state = excluded.state",
                [checkpoint.engineSource, stateText])
            if let sourceState = checkpoint.sourceState {
                try connection.execute(
                    "INSERT INTO source_state (source, state) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET state = excluded.state",
                    [checkpoint.engineSource, sourceState])
            }
            if let position = checkpoint.position, let positionText {
                try connection.execute(
                    "INSERT INTO input_positions (source, position) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET position = excluded.position",
                    [position.source, positionText])
            }
            var fresh: [Alert] = []
            for (alert, encoded) in encodedAlerts {
                let inserted = try connection.execute(
                    """
                    INSERT INTO alerts (id, rule_id, level, last_at, alert) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (id) DO NOTHING RETURNING sequence
                    """,
                    [alert.id, alert.ruleID, alert.level.rawValue, String(alert.lastAt), encoded])
                guard !inserted.values.isEmpty else { continue }  // raised before: a replay
                fresh.append(alert)
                if let silence = checkpoint.silenced[alert.id] {
                    try recordSilenced(alert, by: silence, sinks: sinksFor(alert))
                    continue
                }
                for sink in sinksFor(alert) {
                    try connection.execute(
                        "INSERT INTO deliveries (alert_id, sink, status) VALUES ($1, $2, 'pending') ON CONFLICT DO NOTHING",
                        [alert.id, sink])
                }
            }
            return fresh
        }
    }

    private static let deliveryColumns = "a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error"

    public func alerts(sink: String?, status: DeliveryStatus?) throws(StateError) -> [StoredAlert] {
        storedAlerts(
            try connection.execute(
                """
                SELECT \(PostgresStore.deliveryColumns) FROM alerts a JOIN deliveries d ON d.alert_id = a.id
                WHERE ($1::text IS NULL OR d.sink = $1) AND ($2::text IS NULL OR d.status = $2)
                ORDER BY a.sequence, d.sink
                """, [sink, status?.rawValue]))
    }

    public func allAlerts() throws(StateError) -> [Alert] {
        try connection.execute("SELECT alert FROM alerts ORDER BY sequence").values.compactMap { row in
            row.first.flatMap { $0 }.flatMap { try? JSONDecoder().decode(Alert.self, from: Data($0.utf8)) }
        }
    }

    /// A claim is measured on the server's clock (`clock_timestamp()`), never a replica's own:
    /// a replica whose clock runs ahead would otherwise see another's live claim as run out and
    /// send the delivery a second time. `next_attempt_at` stays on the caller's clock (a retry
    /// a skewed replica sends early or late is still sent once).
    private static let serverSeconds = "floor(extract(epoch FROM clock_timestamp()))::bigint"

    private static let dueCondition = """
        d.status = 'pending' AND d.next_attempt_at <= $1 AND d.claimed_until <= \(serverSeconds)
        AND ($2::text IS NULL OR d.sink = $2) AND a.sequence > $3
        """

    public func dueDeliveries(
        now: Int64, sink: String?, afterSequence: Int64, limit: Int
    ) throws(StateError) -> [StoredAlert] {
        storedAlerts(
            try connection.execute(
                """
                SELECT \(PostgresStore.deliveryColumns) FROM deliveries d JOIN alerts a ON a.id = d.alert_id
                WHERE \(PostgresStore.dueCondition) ORDER BY a.sequence, d.sink LIMIT $4
                """, [String(now), sink, String(afterSequence), String(limit)]))
    }

    // Rows another connection is claiming are skipped, not waited for; a row it claimed and
    // committed meanwhile is re-checked against `claimed_until` before it is locked here. The
    // claim lasts `until - now` seconds of the server's clock.
    public func claimDue(
        now: Int64, sink: String?, afterSequence: Int64, limit: Int, claimant: String, until: Int64
    ) throws(StateError) -> [StoredAlert] {
        let claimed = storedAlerts(
            try connection.execute(
                """
                WITH due AS (
                    SELECT d.alert_id, d.sink FROM deliveries d JOIN alerts a ON a.id = d.alert_id
                    WHERE \(PostgresStore.dueCondition) ORDER BY a.sequence, d.sink LIMIT $4
                    FOR UPDATE OF d SKIP LOCKED)
                UPDATE deliveries d
                SET claimed_by = $5, claimed_until = \(PostgresStore.serverSeconds) + ($6::bigint - $1::bigint)
                FROM due, alerts a
                WHERE d.alert_id = due.alert_id AND d.sink = due.sink AND a.id = d.alert_id
                RETURNING \(PostgresStore.deliveryColumns)
                """, [String(now), sink, String(afterSequence), String(limit), claimant, String(until)]))
        return claimed.sorted { ($0.sequence, $0.sink) < ($1.sequence, $1.sink) }
    }

    public func oldestDue(now: Int64) throws(StateError) -> String? {
        let rows = try connection.execute(
            """
            SELECT d.alert_id, d.sink FROM deliveries d JOIN alerts a ON a.id = d.alert_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1 ORDER BY a.sequence, d.sink LIMIT 1
            """, [String(now)])
        guard let row = rows.values.first else { return nil }
        return (row[0] ?? "") + " -> " + (row[1] ?? "")
    }

    public func pendingSinks() throws(StateError) -> [String] {
        try connection.execute("SELECT DISTINCT sink FROM deliveries WHERE status = 'pending' ORDER BY sink").values
            .compactMap { $0.first.flatMap { $0 } }
    }

    public func pause(sink: String, until: Int64) throws(StateError) {
        try connection.execute(
            "UPDATE deliveries SET next_attempt_at = GREATEST(next_attempt_at, $1) WHERE sink = $2 AND status = 'pending'",
            [String(until), sink])
    }

    public func pendingCount(sink: String?, now: Int64) throws(StateError) -> (pending: Int, due: Int) {
        let rows = try connection.execute(
            """
            SELECT COUNT(*), COUNT(*) FILTER (WHERE next_attempt_at <= $1) FROM deliveries
            WHERE status = 'pending' AND ($2::text IS NULL OR sink = $2)
            """, [String(now), sink])
        guard let row = rows.values.first else { return (0, 0) }
        return (Int(row[0] ?? "0") ?? 0, Int(row[1] ?? "0") ?? 0)
    }

    public func failedCount() throws(StateError) -> Int {
        let rows = try connection.execute("SELECT COUNT(*) FROM deliveries WHERE status = 'failed'")
        return Int(rows.values.first?.first.flatMap { $0 } ?? "0") ?? 0
    }

    public func nextDueTime(sink: String?) throws(StateError) -> Int64? {
        let rows = try connection.execute(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending' AND ($1::text IS NULL OR sink = $1)",
            [sink])
        return rows.values.first?.first.flatMap { $0 }.flatMap { Int64($0) }
    }

    public func recordAttempt(
        alertID: String, sink: String, status: DeliveryStatus, retryAt: Int64?, error: String?
    ) throws(StateError) {
        try connection.execute(
            """
            UPDATE deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
            claimed_by = NULL, claimed_until = 0 WHERE alert_id = $4 AND sink = $5
            """, [status.rawValue, String(retryAt ?? 0), error, alertID, sink])
    }

    @discardableResult
    public func retryFailed(alertID: String?) throws(StateError) -> Int {
        try connection.execute(
            """
            UPDATE deliveries SET status = 'pending', next_attempt_at = 0, attempts = 0, first_attempt_at = NULL
            WHERE status = 'failed' AND ($1::text IS NULL OR alert_id = $1)
            """, [alertID]
        ).changed
    }

    public func firstAttemptTime(alertID: String, sink: String, now: Int64) throws(StateError) -> Int64 {
        let rows = try connection.execute(
            """
            UPDATE deliveries SET first_attempt_at = COALESCE(first_attempt_at, $1) WHERE alert_id = $2 AND sink = $3
            RETURNING first_attempt_at
            """, [String(now), alertID, sink])
        return rows.values.first?.first.flatMap { $0 }.flatMap { Int64($0) } ?? now
    }

    public func markDelivered(_ ids: [String], sink: String) throws(StateError) {
        guard !ids.isEmpty else { return }
        try connection.transaction { () throws(StateError) in
            for id in ids {
                try connection.execute(
                    """
                    UPDATE deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL, claimed_by = NULL,
                    claimed_until = 0 WHERE alert_id = $1 AND sink = $2
                    """, [id, sink])
            }
        }
    }

    /// Rows of (sequence, alert JSON, sink, status, attempts, last error); unreadable alerts are skipped.
    func storedAlerts(_ rows: PostgresConnection.Rows) -> [StoredAlert] {
        rows.values.compactMap { row -> StoredAlert? in
            guard let text = row[1], let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8)) else {
                return nil
            }
            return StoredAlert(
                sequence: Int64(row[0] ?? "0") ?? 0, alert: alert, sink: row[2] ?? "",
                status: DeliveryStatus(rawValue: row[3] ?? "") ?? .pending, attempts: Int(row[4] ?? "0") ?? 0,
                lastError: row[5])
        }
    }
}
