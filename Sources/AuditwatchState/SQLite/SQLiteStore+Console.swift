public import AuditwatchCore
import Foundation

/// What the console reads from the state: recent alerts, per-rule totals, deliveries of given
/// alerts. Bounded queries, so a page stays fast on a state with a year of alerts.
extension SQLiteStore {
    /// The newest alerts first, at most `limit`, with `rule` and `level` filtered in SQL and
    /// `accept` (the source filter) on the decoded alert.
    public func recentAlerts(
        rule: String?, level: String?, limit: Int, accept: (Alert) -> Bool
    ) throws(StateError) -> [Alert] {
        let statement = try database.prepare(
            """
            SELECT alert FROM alerts WHERE (? IS NULL OR rule_id = ?) AND (? IS NULL OR level = ?)
            ORDER BY sequence DESC
            """
        ).bind([
            rule.map { .text($0) } ?? .null, rule.map { .text($0) } ?? .null, level.map { .text($0) } ?? .null,
            level.map { .text($0) } ?? .null,
        ])
        var result: [Alert] = []
        while result.count < limit, try statement.next() {
            if let text = statement.text(0), let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8)),
                accept(alert)
            {
                result.append(alert)
            }
        }
        return result
    }

    /// Alerts recorded in all.
    public func alertCount() throws(StateError) -> Int {
        let statement = try database.prepare("SELECT COUNT(*) FROM alerts")
        return try statement.next() ? Int(statement.integer(0)) : 0
    }

    /// Per rule: alerts recorded and the newest alert's `last_at`.
    public func ruleTotals() throws(StateError) -> [String: (alerts: Int, lastAt: Int64)] {
        let statement = try database.prepare("SELECT rule_id, COUNT(*), MAX(last_at) FROM alerts GROUP BY rule_id")
        var result: [String: (alerts: Int, lastAt: Int64)] = [:]
        while try statement.next() {
            result[statement.text(0) ?? ""] = (Int(statement.integer(1)), statement.integer(2))
        }
        return result
    }

    /// The deliveries of these alerts, by alert id.
    public func deliveries(of alertIDs: [String]) throws(StateError) -> [String: [StoredAlert]] {
        guard !alertIDs.isEmpty else { return [:] }
        var result: [String: [StoredAlert]] = [:]
        // In chunks: SQLite limits the number of parameters of one statement.
        for start in stride(from: 0, to: alertIDs.count, by: 400) {
            let chunk = Array(alertIDs[start..<min(start + 400, alertIDs.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let statement = try database.prepare(
                """
                SELECT a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error FROM deliveries d
                JOIN alerts a ON a.id = d.alert_id WHERE d.alert_id IN (\(marks)) ORDER BY d.sink
                """
            ).bind(chunk.map { .text($0) })
            while try statement.next() {
                guard let text = statement.text(1),
                    let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8))
                else { continue }
                result[alert.id, default: []].append(
                    StoredAlert(
                        sequence: statement.integer(0), alert: alert, sink: statement.text(2) ?? "",
                        status: DeliveryStatus(rawValue: statement.text(3) ?? "") ?? .pending,
                        attempts: Int(statement.integer(4)), lastError: statement.isNull(5) ? nil : statement.text(5)))
            }
        }
        return result
    }
}
