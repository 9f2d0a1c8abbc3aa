import Foundation

/// One answer of `GET /v1/organization/audit_logs` over the events a stand-in shows: the query's
/// window (`effective_at[gte]`, `tenant_only`), newest first, `limit` per page, paged after (or
/// before) an id. Shared by `AuditLogStandIn` (one organization) and `OrganizationsStandIn` (many).
enum AuditLogPage {
    struct Element {
        var id: String
        var effectiveAt: Int64
        var json: String
        var tenantScoped: Bool
    }

    /// The page `target` asks for, as the JSON body, and how many events it holds.
    static func answer(target: String, visible: [Element], pagingParameter: String) -> (body: String, count: Int) {
        let parameters = query(of: target)
        func value(_ name: String) -> String? { parameters.first { $0.0 == name }?.1 }
        let limit = Int(value("limit") ?? "20") ?? 20
        let since = value("effective_at[gte]").flatMap { Int64($0) }
        let tenantOnly = value("tenant_only") == "true"
        var window = visible.filter { event in
            event.tenantScoped == tenantOnly && (since.map { event.effectiveAt >= $0 } ?? true)
        }
        window.sort { ($0.effectiveAt, $0.id) > ($1.effectiveAt, $1.id) }  // newest first
        if let cursor = value(pagingParameter), let index = window.firstIndex(where: { $0.id == cursor }) {
            window = Array(window[(index + 1)...])
        }
        let page = Array(window.prefix(limit))
        let first = page.first.map { "\"\($0.id)\"" } ?? "null"
        let last = page.last.map { "\"\($0.id)\"" } ?? "null"
        let data = page.map(\.json).joined(separator: ",")
        let body =
            #"{"object":"list","data":[\#(data)],"first_id":\#(first),"last_id":\#(last),"has_more":\#(window.count > limit)}"#
        return (body, page.count)
    }

    /// A request target's query parameters, percent-decoded, in order.
    static func query(of target: String) -> [(String, String)] {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    /// An audit-log event as the API returns it: a session actor with an email and address.
    static func eventJSON(id: String, at time: Int64, type: String, email: String) -> String {
        #"{"id":"\#(id)","object":"organization.audit_log","type":"\#(type)","effective_at":\#(time),"actor":{"type":"session","session":{"user":{"id":"user-\#(email)","email":"\#(email)"},"ip_address":"203.0.113.7"}}}"#
    }
}
