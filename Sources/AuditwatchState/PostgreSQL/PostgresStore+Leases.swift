public import AuditwatchCore

/// Leases and heartbeats in PostgreSQL. Each operation is one statement, and every time is the
/// server's `clock_timestamp()`: replicas never compare their own clocks. Two replicas racing for
/// a free source both run the `INSERT … ON CONFLICT DO UPDATE … WHERE`: the row lock makes the
/// second wait for the first and re-check the condition on the row the first wrote, so it gets
/// nothing. A commit under a lease takes that row `FOR SHARE` first (`commit`): a replica taking
/// the lease over waits for the commit in flight, and then reads what it wrote.
extension PostgresStore: LeaseStoring {
    static let leaseColumns = """
        source, holder, token, extract(epoch FROM expires_at)::float8, extract(epoch FROM acquired_at)::float8,
        extract(epoch FROM renewed_at)::float8
        """

    @discardableResult
    public func heartbeat(replica: String, startedAt: Double) throws(StateError) -> Double {
        let rows = try connection.execute(
            """
            INSERT INTO replicas (name, started_at, last_seen) VALUES ($1, to_timestamp($2), clock_timestamp())
            ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at, last_seen = excluded.last_seen
            RETURNING extract(epoch FROM last_seen)::float8
            """, [replica, String(startedAt)])
        return Double(rows.values.first?.first.flatMap { $0 } ?? "") ?? 0
    }

    public func replicas() throws(StateError) -> (replicas: [ReplicaHeartbeat], now: Double) {
        let rows = try connection.execute(
            """
            SELECT name, extract(epoch FROM started_at)::float8, extract(epoch FROM last_seen)::float8,
            extract(epoch FROM clock_timestamp())::float8 FROM replicas ORDER BY name
            """)
        let now = try time(rows.values.first, column: 3)
        return (
            rows.values.map {
                ReplicaHeartbeat(name: $0[0] ?? "", startedAt: seconds($0[1]), lastSeen: seconds($0[2]))
            },
            now
        )
    }

    public func leases() throws(StateError) -> (leases: [Lease], now: Double) {
        let rows = try connection.execute(
            "SELECT \(PostgresStore.leaseColumns), extract(epoch FROM clock_timestamp())::float8 FROM leases ORDER BY source"
        )
        let now = try time(rows.values.first, column: 6)
        return (rows.values.map(lease), now)
    }

    public func acquire(source: String, replica: String, duration: Double) throws(StateError) -> Lease? {
        // The token stays only when the replica takes again a lease it still holds; any other
        // taking (a new holder, a released or expired lease) bumps it.
        let rows = try connection.execute(
            """
            INSERT INTO leases AS l (source, holder, token, expires_at, acquired_at, renewed_at)
            VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3), clock_timestamp(), clock_timestamp())
            ON CONFLICT (source) DO UPDATE SET
                token = CASE WHEN l.holder = excluded.holder AND l.expires_at > clock_timestamp() THEN l.token
                    ELSE l.token + 1 END,
                acquired_at = CASE WHEN l.holder = excluded.holder AND l.expires_at > clock_timestamp()
                    THEN l.acquired_at ELSE excluded.acquired_at END,
                holder = excluded.holder, expires_at = excluded.expires_at, renewed_at = excluded.renewed_at
            WHERE l.holder IS NULL OR l.holder = excluded.holder OR l.expires_at <= clock_timestamp()
            RETURNING \(PostgresStore.leaseColumns)
            """, [source, replica, String(duration)])
        return rows.values.first.map(lease)
    }

    public func renew(replica: String, duration: Double) throws(StateError) -> [Lease] {
        try connection.execute(
            """
            UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $2), renewed_at = clock_timestamp()
            WHERE holder = $1 AND expires_at > clock_timestamp() RETURNING \(PostgresStore.leaseColumns)
            """, [replica, String(duration)]
        ).values.map(lease)
    }

    public func release(source: String, replica: String, token: Int64) throws(StateError) {
        try connection.execute(
            """
            UPDATE leases SET holder = NULL, expires_at = LEAST(expires_at, clock_timestamp())
            WHERE source = $1 AND holder = $2 AND token = $3
            """, [source, replica, String(token)])
    }

    public func leave(replica: String) throws(StateError) {
        try connection.execute("DELETE FROM replicas WHERE name = $1", [replica])
    }

    public func forgetReplicas(before: Double) throws(StateError) {
        try connection.execute("DELETE FROM replicas WHERE last_seen < to_timestamp($1)", [String(before)])
    }

    /// Inside a commit's transaction, first: the lease row still this holder's, with this token,
    /// unexpired, and locked against a takeover until the commit ends; else nothing is written.
    func checkFence(_ fence: LeaseFence) throws(StateError) {
        let rows = try connection.execute(
            """
            SELECT 1 FROM leases WHERE source = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp()
            FOR SHARE
            """, [fence.source, fence.holder, String(fence.token)])
        guard !rows.values.isEmpty else { throw StateError.leaseLost(fence) }
    }

    /// The server's time a query returned in `column`, or asked for when it returned no row.
    private func time(_ row: [String?]?, column: Int) throws(StateError) -> Double {
        guard let row else { return try serverTime() }
        return seconds(row[column])
    }

    private func serverTime() throws(StateError) -> Double {
        let rows = try connection.execute("SELECT extract(epoch FROM clock_timestamp())::float8")
        return seconds(rows.values.first?.first.flatMap { $0 })
    }

    private func lease(_ row: [String?]) -> Lease {
        Lease(
            source: row[0] ?? "", holder: row[1], token: Int64(row[2] ?? "0") ?? 0, expiresAt: seconds(row[3]),
            acquiredAt: seconds(row[4]), renewedAt: seconds(row[5]))
    }

    private func seconds(_ text: String?) -> Double { text.flatMap { Double($0) } ?? 0 }
}
