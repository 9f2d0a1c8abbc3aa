public import AuditwatchCore
import Foundation

/// Silences in the state file (`SilenceStoring`): written by `silence add`, the HTTP API and the
/// console, read by the running service at each commit, so a silence takes effect without a
/// restart and survives one.
extension SQLiteStore {
    /// Stores a new silence.
    public func addSilence(_ silence: Silence) throws(StateError) {
        let matchers: String
        do {
            matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        } catch { throw StateError("cannot encode the matchers of silence \(silence.id): \(error)") }
        try database.prepare(
            "INSERT INTO silences (id, matchers, starts_at, ends_at, author, comment) VALUES (?, ?, ?, ?, ?, ?)"
        ).bind([
            .text(silence.id), .text(matchers), .integer(silence.startsAt), .integer(silence.endsAt),
            .text(silence.author), .text(silence.comment),
        ]).run()
    }

    /// Every silence, the newest first; with `activeAt`, only those in force then.
    public func silences(activeAt now: Int64?) throws(StateError) -> [Silence] {
        let statement = try database.prepare(
            """
            SELECT id, matchers, starts_at, ends_at, author, comment FROM silences
            WHERE ? IS NULL OR (starts_at <= ? AND ends_at > ?) ORDER BY starts_at DESC, id
            """
        ).bind(now.map { [.integer($0), .integer($0), .integer($0)] } ?? [.null, .null, .null])
        var result: [Silence] = []
        while try statement.next() {
            let id = statement.text(0) ?? ""
            let matchers: [SilenceMatcher]
            do {
                matchers = try JSONDecoder().decode([SilenceMatcher].self, from: Data((statement.text(1) ?? "").utf8))
            } catch {
                throw StateError("state file '\(path)': silence \(id) has matchers this version cannot read: \(error)")
            }
            result.append(
                Silence(
                    id: id, matchers: matchers, startsAt: statement.integer(2), endsAt: statement.integer(3),
                    author: statement.text(4) ?? "", comment: statement.text(5) ?? ""))
        }
        return result
    }

    /// Ends silence `id` at `now`. Returns it as it is now, or nil when there is no such silence.
    /// What it silenced stays silenced: nothing is queued again.
    @discardableResult
    public func expireSilence(id: String, now: Int64) throws(StateError) -> Silence? {
        guard let silence = try silence(id: id) else { return nil }
        let ended = silence.expired(at: now)
        try database.prepare("UPDATE silences SET starts_at = ?, ends_at = ? WHERE id = ?").bind([
            .integer(ended.startsAt), .integer(ended.endsAt), .text(id),
        ]).run()
        return ended
    }

    /// Which silence muted each silenced alert (alert id → silence id).
    public func silencedAlerts() throws(StateError) -> [String: String] {
        let statement = try database.prepare("SELECT alert_id, silence_id FROM silenced_alerts")
        var result: [String: String] = [:]
        while try statement.next() { result[statement.text(0) ?? ""] = statement.text(1) ?? "" }
        return result
    }

    /// Inside `checkpoint`'s transaction: `alert` is muted by `silence`.
    func recordSilenced(_ alert: Alert, by silence: String, sinks: [String]) throws(StateError) {
        try database.prepare("INSERT OR IGNORE INTO silenced_alerts (alert_id, silence_id) VALUES (?, ?)").bind([
            .text(alert.id), .text(silence),
        ]).run()
        let insert = try database.prepare(
            "INSERT OR IGNORE INTO deliveries (alert_id, sink, status) VALUES (?, ?, 'silenced')")
        for sink in sinks.isEmpty ? ["-"] : sinks { try insert.bind([.text(alert.id), .text(sink)]).run() }
    }
}
