import AuditwatchCore
import Logging

/// One log line, as text or JSON. swift-log hands metadata over as a dictionary; the line
/// writes the fields in one fixed order (`order`, then the rest by name), so the same event
/// always reads the same and `event`/`outcome` come first.
enum LogLine {
    /// A diagnostic's text rendering (source line and caret): a text log writes it as it is,
    /// a JSON log leaves it out (its fields say the same).
    static let renderedKey = "rendered"

    /// The order the service's fields are written in.
    static let order: [String] = [
        "event", "outcome", "severity", "location", "id", "rule", "alert_level", "source", "replica", "token",
        "sources", "rules",
        "notifier", "notifiers", "attempts", "new_events", "alerts", "limit", "count", "first", "after",
        "summary", "hint", "pending_deliveries", "polls", "drain", "address", "error",
    ]
    private static let rank: [String: Int] = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })

    static func render(
        format: LogFormat, time: String, level: Logger.Level, message: String, fields: Logger.Metadata
    ) -> String {
        let ordered = fields.filter { $0.key != renderedKey }.sorted { lhs, rhs in
            let left = rank[lhs.key] ?? order.count, right = rank[rhs.key] ?? order.count
            return left != right ? left < right : lhs.key < rhs.key
        }
        switch format {
        case .text:
            if case .string(let rendered)? = fields[renderedKey] { return rendered }
            // `event` and `outcome` are for machines; a text line's message already says them.
            let extras = ordered.filter { $0.key != "event" && $0.key != "outcome" }.map {
                " \($0.key)=" + quoteIfNeeded(AlertFormatter.printable(text($0.value)))
            }.joined()
            return "\(time) \(name(level).uppercased()) \(AlertFormatter.printable(message))\(extras)"
        case .json:
            // A field named like a base key gets a `_2` suffix: no object has a key twice.
            var taken: Set<String> = ["time", "level", "msg"]
            var object = "{\"time\":\"\(time)\",\"level\":\"\(name(level))\",\"msg\":" + JSONWriter.quoted(message)
            for (key, value) in ordered {
                var unique = key, suffix = 1
                while taken.contains(unique) || fields[unique] != nil && unique != key {
                    suffix += 1
                    unique = "\(key)_\(suffix)"
                }
                taken.insert(unique)
                object += "," + JSONWriter.quoted(unique) + ":" + JSONWriter.quoted(text(value))
            }
            return object + "}"
        }
    }

    /// The service's four level names (swift-log's `notice` reads as info, `trace` as debug,
    /// `critical` as error), as `--log-level` takes them.
    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warning"
        case .error, .critical: "error"
        }
    }

    /// A value as one string (lists and maps as JSON would write them, every value a string).
    static func text(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map { JSONWriter.quoted(text($0)) }.joined(separator: ",") + "]"
        case .dictionary(let map):
            "{"
                + map.sorted { $0.key < $1.key }.map {
                    JSONWriter.quoted($0.key) + ":" + JSONWriter.quoted(text($0.value))
                }
                .joined(separator: ",") + "}"
        }
    }

    static func quoteIfNeeded(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || value.isEmpty
            ? JSONWriter.quoted(value) : value
    }
}
