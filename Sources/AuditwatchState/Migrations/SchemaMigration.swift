/// The state schema's versions, one numbering for both stores: a store at version N has had
/// steps 1…N applied, in order, each in a transaction of its own. A step is never edited once
/// released; a change to the schema is a new step at the end.
struct SchemaMigration: Sendable {
    let version: Int
    /// What the step is for (`auditwatch migrate` prints it).
    let summary: String
    let sqlite: String
    let postgres: String

    static var newest: Int { all.last?.version ?? 0 }

    static let all: [SchemaMigration] = [
        SchemaMigration(
            version: 1, summary: "engine state, source state, input positions, alerts and deliveries",
            // IF NOT EXISTS: state files written before migrations were numbered already have these.
            sqlite: """
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
                """,
            // Engine state and alerts are JSON kept as text: the bytes read back are the bytes written.
            postgres: """
                CREATE TABLE engine_state (source TEXT PRIMARY KEY, state TEXT NOT NULL);
                CREATE TABLE source_state (source TEXT PRIMARY KEY, state TEXT NOT NULL);
                CREATE TABLE input_positions (source TEXT PRIMARY KEY, position TEXT NOT NULL);
                CREATE TABLE alerts (
                    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    rule_id TEXT NOT NULL,
                    level TEXT NOT NULL,
                    last_at BIGINT NOT NULL,
                    alert TEXT NOT NULL);
                CREATE TABLE deliveries (
                    alert_id TEXT NOT NULL REFERENCES alerts(id),
                    sink TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT NOT NULL DEFAULT 0,
                    first_attempt_at BIGINT,
                    last_error TEXT,
                    PRIMARY KEY (alert_id, sink));
                CREATE INDEX deliveries_by_status ON deliveries (sink, status, next_attempt_at);
                """),
        SchemaMigration(
            version: 2, summary: "delivery claims (one connection at a time per delivery)",
            sqlite: """
                ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
                ALTER TABLE deliveries ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
                """,
            postgres: """
                ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
                ALTER TABLE deliveries ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
                """),
        SchemaMigration(
            version: 3, summary: "silences, and which silence muted each silenced alert",
            sqlite: """
                CREATE TABLE silences (
                    id TEXT PRIMARY KEY,
                    matchers TEXT NOT NULL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    comment TEXT NOT NULL);
                CREATE TABLE silenced_alerts (
                    alert_id TEXT PRIMARY KEY REFERENCES alerts(id),
                    silence_id TEXT NOT NULL);
                """,
            postgres: """
                CREATE TABLE silences (
                    id TEXT PRIMARY KEY,
                    matchers TEXT NOT NULL,
                    starts_at BIGINT NOT NULL,
                    ends_at BIGINT NOT NULL,
                    author TEXT NOT NULL,
                    comment TEXT NOT NULL);
                CREATE TABLE silenced_alerts (
                    alert_id TEXT PRIMARY KEY REFERENCES alerts(id),
                    silence_id TEXT NOT NULL);
                """),
        SchemaMigration(
            version: 4, summary: "source leases with fencing tokens, replica heartbeats",
            // The SQLite file has one process (its lock): the tables exist so the numbering is
            // one, and stay empty.
            sqlite: """
                CREATE TABLE leases (
                    source TEXT PRIMARY KEY,
                    holder TEXT,
                    token INTEGER NOT NULL,
                    expires_at REAL NOT NULL,
                    acquired_at REAL NOT NULL,
                    renewed_at REAL NOT NULL);
                CREATE TABLE replicas (name TEXT PRIMARY KEY, started_at REAL NOT NULL, last_seen REAL NOT NULL);
                """,
            // Times are the server's clock (clock_timestamp()), so replicas never compare their own clocks.
            postgres: """
                CREATE TABLE leases (
                    source TEXT PRIMARY KEY,
                    holder TEXT,
                    token BIGINT NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL,
                    acquired_at TIMESTAMPTZ NOT NULL,
                    renewed_at TIMESTAMPTZ NOT NULL);
                CREATE INDEX leases_by_holder ON leases (holder);
                CREATE TABLE replicas (
                    name TEXT PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL);
                """),
    ]
}
