public import AuditwatchCore
import Foundation

/// What the console reads (`ConsoleReading`), from PostgreSQL.
extension PostgresStore {
    public func recentAlerts(
        rule: String?, level: String?, limit: Int, accept: (Alert) -> Bool
    ) throws(StateError) -> [Alert] {
        // Pages of the newest first, until `limit` pass the source filter (or none are left).
        var result: [Alert] = []
        var before = Int64.max
        while result.count < limit {
            let rows = try connection.execute(
                """
                SELECT sequence, alert FROM alerts WHERE ($1::text IS NULL OR rule_id = $1)
                AND ($2::text IS NULL OR level = $2) AND sequence < $3::bigint ORDER BY sequence DESC LIMIT 500
                """, [rule, level, String(before)])
            guard !rows.values.isEmpty else { break }
            for row in rows.values {
                before = Int64(row[0] ?? "") ?? 0
                if let text = row[1], let alert = try? JSONDecoder().decode(Alert.self, from: Data(text.utf8)),
                    accept(alert), result.count < limit
                {
                    result.append(alert)
                }
            }
        }
        return result
    }

    public func alertCount() throws(StateError) -> Int {
        Int(try connection.execute("SELECT COUNT(*) FROM alerts").values.first?[0] ?? "0") ?? 0
    }

    public func ruleTotals() throws(StateError) -> [String: (alerts: Int, lastAt: Int64)] {
        var result: [String: (alerts: Int, lastAt: Int64)] = [:]
        for row in try connection.execute("SELECT rule_id, COUNT(*), MAX(last_at) FROM alerts GROUP BY rule_id").values
        {
            result[row[0] ?? ""] = (Int(row[1] ?? "0") ?? 0, Int64(row[2] ?? "0") ?? 0)
        }
        return result
    }

    public func deliveries(of alertIDs: [String]) throws(StateError) -> [String: [StoredAlert]] {
        guard !alertIDs.isEmpty else { return [:] }
        let list = String(decoding: (try? JSONEncoder().encode(alertIDs)) ?? Data("[]".utf8), as: UTF8.self)
        let rows = try connection.execute(
            """
            SELECT a.sequence, a.alert, d.sink, d.status, d.attempts, d.last_error FROM deliveries d
            JOIN alerts a ON a.id = d.alert_id
            WHERE d.alert_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY d.sink
            """, [list])
        return Dictionary(grouping: storedAlerts(rows), by: \.alert.id)
    }
}
