public import AuditwatchCore
import Foundation

/// Silences in PostgreSQL (`SilenceStoring`), as the SQLite file keeps them: replicas of the
/// service share them through the database.
extension PostgresStore {
    public func addSilence(_ silence: Silence) throws(StateError) {
        let matchers: String
        do {
            matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        } catch { throw StateError("cannot encode the matchers of silence \(silence.id): \(error)") }
        try connection.execute(
            "INSERT INTO silences (id, matchers, starts_at, ends_at, author, comment) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                silence.id, matchers, String(silence.startsAt), String(silence.endsAt), silence.author,
                silence.comment,
            ])
    }

    public func silences(activeAt now: Int64?) throws(StateError) -> [Silence] {
        let rows = try connection.execute(
            """
            SELECT id, matchers, starts_at, ends_at, author, comment FROM silences
            WHERE $1::bigint IS NULL OR (starts_at <= $1::bigint AND ends_at > $1::bigint) ORDER BY starts_at DESC, id
            """, [now.map(String.init)])
        var result: [Silence] = []
        for row in rows.values {
            let id = row[0] ?? ""
            let matchers: [SilenceMatcher]
            do {
                matchers = try JSONDecoder().decode([SilenceMatcher].self, from: Data((row[1] ?? "").utf8))
            } catch {
                throw StateError("\(location): silence \(id) has matchers this version cannot read: \(error)")
            }
            result.append(
                Silence(
                    id: id, matchers: matchers, startsAt: Int64(row[2] ?? "") ?? 0, endsAt: Int64(row[3] ?? "") ?? 0,
                    author: row[4] ?? "", comment: row[5] ?? ""))
        }
        return result
    }

    public func expireSilence(id: String, now: Int64) throws(StateError) -> Silence? {
        guard let silence = try silence(id: id) else { return nil }
        let ended = silence.expired(at: now)
        try connection.execute(
            "UPDATE silences SET starts_at = $1, ends_at = $2 WHERE id = $3",
            [String(ended.startsAt), String(ended.endsAt), id])
        return ended
    }

    public func silencedAlerts() throws(StateError) -> [String: String] {
        var result: [String: String] = [:]
        for row in try connection.execute("SELECT alert_id, silence_id FROM silenced_alerts").values {
            result[row[0] ?? ""] = row[1] ?? ""
        }
        return result
    }

    /// Inside `commit`'s transaction: `alert` is muted by `silence`.
    func recordSilenced(_ alert: Alert, by silence: String, sinks: [String]) throws(StateError) {
        try connection.execute(
            "INSERT INTO silenced_alerts (alert_id, silence_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            [alert.id, silence])
        for sink in sinks.isEmpty ? ["-"] : sinks {
            try connection.execute(
                "INSERT INTO deliveries (alert_id, sink, status) VALUES ($1, $2, 'silenced') ON CONFLICT DO NOTHING",
                [alert.id, sink])
        }
    }
}
