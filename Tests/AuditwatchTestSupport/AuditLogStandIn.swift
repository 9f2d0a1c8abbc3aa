import Foundation

/// A stand-in for `GET /v1/organization/audit_logs` on 127.0.0.1: newest-first pages, either
/// paging parameter, events that only become visible from a given request on (eventual
/// consistency), and scripted faults for the next requests.
public final class AuditLogStandIn: @unchecked Sendable {
    public enum Fault: Sendable {
        case status(
            Int, retryAfter: Int? = nil, body: String = #"{"error":{"message":"injected","type":"server_error"}}"#)
        case drop
    }

    public struct StoredEvent: Sendable {
        public var id: String
        public var effectiveAt: Int64
        public var type: String
        public var json: String
        /// Hidden from requests before this one (0-based request count).
        public var visibleFromRequest: Int
        public var tenantScoped: Bool
    }

    private let lock = NSLock()
    private var events: [StoredEvent] = []
    private var faults: [Fault] = []
    private var requestCount = 0
    /// The parameter this server reads as "the page after this id".
    public let pagingParameter: String
    public let adminKey: String
    public private(set) var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1" }

    public init(pagingParameter: String = "after", adminKey: String = "sk-admin-test-SECRET") throws {
        self.pagingParameter = pagingParameter
        self.adminKey = adminKey
        server = nil
        server = try LoopbackHTTPServer { [weak self] request, _ in self?.answer(request) ?? .drop }
    }

    public func stop() { server.stop() }

    /// Adds an event; `visibleFromRequest` > 0 makes it appear late.
    public func add(
        id: String, at time: Int64, type: String = "login.failed", email: String = "a@x", visibleFromRequest: Int = 0,
        tenantScoped: Bool = false
    ) {
        let json = AuditLogPage.eventJSON(id: id, at: time, type: type, email: email)
        lock.lock(); defer { lock.unlock() }
        events.append(
            StoredEvent(
                id: id, effectiveAt: time, type: type, json: json, visibleFromRequest: visibleFromRequest,
                tenantScoped: tenantScoped))
    }

    /// Adds any JSON object as a page element (for malformed events).
    public func addRaw(_ json: String, at time: Int64) {
        lock.lock(); defer { lock.unlock() }
        events.append(
            StoredEvent(
                id: "raw-\(events.count)", effectiveAt: time, type: "", json: json, visibleFromRequest: 0,
                tenantScoped: false))
    }

    public func inject(_ fault: Fault) { lock.lock(); faults.append(fault); lock.unlock() }

    public var requests: [LoopbackHTTPServer.Request] { server.requests }

    private func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Reply {
        lock.lock(); defer { lock.unlock() }
        let sequence = requestCount
        requestCount += 1
        if !faults.isEmpty {
            switch faults.removeFirst() {
            case .drop: return .drop
            case let .status(code, retryAfter, body):
                return .respond(
                    status: code, headers: retryAfter.map { [("Retry-After", String($0))] } ?? [], body: body)
            }
        }
        guard request.headers["authorization"] == "Bearer " + adminKey else {
            return .respond(
                status: 401,
                body:
                    #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#
            )
        }
        guard request.target.hasPrefix("/v1/organization/audit_logs") else { return .respond(status: 404, body: "{}") }
        let visible = events.filter { $0.visibleFromRequest <= sequence }.map {
            AuditLogPage.Element(id: $0.id, effectiveAt: $0.effectiveAt, json: $0.json, tenantScoped: $0.tenantScoped)
        }
        let body = AuditLogPage.answer(target: request.target, visible: visible, pagingParameter: pagingParameter).body
        return .respond(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }
}
