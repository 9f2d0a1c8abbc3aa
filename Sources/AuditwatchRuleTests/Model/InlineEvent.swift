import AuditwatchCore

/// Turns an event written in YAML (inside a test) into API-shaped JSON: `effective_at` may be an
/// ISO-8601 time, `id` may be left out (one is made from the position), unread fields may be
/// left out.
enum InlineEvent {
    static func json(_ node: DocumentNode, index: Int) -> Result<String, Diagnostic> {
        guard let entries = node.mapping else {
            return .failure(
                .error("an inline event must be a mapping, found \(node.kindDescription)", at: node.location))
        }
        guard node["type"]?.scalar != nil else {
            return .failure(.error("an inline event needs a 'type'", at: node.location))
        }
        var fields: [String] = []
        if node["id"] == nil { fields.append("\"id\":" + JSONWriter.quoted("test-event-\(index + 1)")) }
        for entry in entries {
            guard let key = entry.key.scalar?.text else { continue }
            if key == "effective_at" {
                switch entry.value.scalar?.resolved {
                case .int(let seconds)?:
                    fields.append("\"effective_at\":\(seconds)")
                case .string(let text)?:
                    guard let seconds = UTCTime.parse(text) else {
                        return .failure(
                            .error(
                                "'\(text)' is not a time; write ISO 8601 with a zone (2026-03-30T09:12:00+02:00) or Unix seconds",
                                at: entry.value.location))
                    }
                    fields.append("\"effective_at\":\(seconds)")
                default:
                    return .failure(.error("'effective_at' must be a time", at: entry.value.location))
                }
                continue
            }
            fields.append(JSONWriter.quoted(key) + ":" + value(entry.value))
        }
        if node["effective_at"] == nil {
            return .failure(.error("an inline event needs 'effective_at'", at: node.location))
        }
        return .success("{" + fields.joined(separator: ",") + "}")
    }

    private static func value(_ node: DocumentNode) -> String {
        switch node.content {
        case .mapping(let entries):
            return "{"
                + entries.compactMap { entry in
                    entry.key.scalar.map { JSONWriter.quoted($0.text) + ":" + value(entry.value) }
                }.joined(separator: ",") + "}"
        case .sequence(let items):
            return "[" + items.map(value).joined(separator: ",") + "]"
        case .scalar(let scalar):
            switch scalar.resolved {
            case .null: return "null"
            case .bool(let flag): return flag ? "true" : "false"
            case .int(let number): return String(number)
            case .double(let number): return number.isFinite ? String(number) : "null"
            case .string(let text): return JSONWriter.quoted(text)
            }
        }
    }
}
