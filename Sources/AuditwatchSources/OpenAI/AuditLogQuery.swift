/// One request's worth of `GET /v1/organization/audit_logs` parameters.
public struct AuditLogQuery: Sendable, Equatable {
    public var since: Int64?
    public var until: Int64?
    public var eventTypes: [String] = []
    public var projectIDs: [String] = []
    public var tenantOnly = false
    public var limit = 100
    /// The page cursor: `after=<id>` or `before=<id>`.
    public var cursor: (parameter: String, id: String)?

    public init() {}

    public static func == (lhs: AuditLogQuery, rhs: AuditLogQuery) -> Bool {
        lhs.since == rhs.since && lhs.until == rhs.until && lhs.eventTypes == rhs.eventTypes
            && lhs.projectIDs == rhs.projectIDs
            && lhs.tenantOnly == rhs.tenantOnly && lhs.limit == rhs.limit
            && lhs.cursor?.parameter == rhs.cursor?.parameter && lhs.cursor?.id == rhs.cursor?.id
    }

    /// The query string, brackets percent-encoded, repeated parameters once per value.
    public var queryString: String {
        var parts: [String] = ["limit=\(limit)"]
        if let since { parts.append("effective_at%5Bgte%5D=\(since)") }
        if let until { parts.append("effective_at%5Blt%5D=\(until)") }
        for type in eventTypes { parts.append("event_types%5B%5D=" + AuditLogQuery.encode(type)) }
        for project in projectIDs { parts.append("project_ids%5B%5D=" + AuditLogQuery.encode(project)) }
        if tenantOnly { parts.append("tenant_only=true") }
        if let cursor { parts.append("\(cursor.parameter)=" + AuditLogQuery.encode(cursor.id)) }
        return parts.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return output
    }
}
