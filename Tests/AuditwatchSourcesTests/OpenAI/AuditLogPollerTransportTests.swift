import AuditwatchCore
import AuditwatchSources
import AuditwatchTestSupport
import Testing

@Suite("OpenAI audit-log poller over an in-memory HTTP transport (no libcurl)")
struct AuditLogPollerTransportTests {
    private let now: Int64 = 1_773_800_000

    private func page(_ ids: [(String, Int64)], hasMore: Bool = false) -> HTTPResponse {
        let data = ids.map { id, time in
            #"{"id":"\#(id)","object":"organization.audit_log","type":"login.succeeded","effective_at":\#(time),"actor":{"type":"session","session":{"user":{"id":"user-1","email":"dana@acme.example"},"ip_address":"203.0.113.7"}}}"#
        }
        let body =
            #"{"object":"list","data":[\#(data.joined(separator: ","))],"first_id":"\#(ids.first?.0 ?? "")","last_id":"\#(ids.last?.0 ?? "")","has_more":\#(hasMore)}"#
        return HTTPResponse(
            status: 200, headers: [(name: "content-type", value: "application/json")], body: Array(body.utf8))
    }

    @Test("a transient transport failure and a 429 are retried, then the page's events come oldest first")
    func pollsThroughTheProtocol() throws {
        let transport = InMemoryTransport { _, sequence in
            switch sequence {
            case 0: return .failure(HTTPError(code: 7, message: "connection refused", isTransient: true))
            case 1: return .success(HTTPResponse(status: 429, body: Array("slow down".utf8), retryAfter: 5))
            default: return .success(page([("e2", now - 10), ("e1", now - 20)]))
            }
        }
        var options = AuditLogPoller.Options()
        options.initialLookback = 3600
        let client = AuditLogClient(baseURL: "https://api.example/v1/", adminKey: "sk-admin-memory", http: transport)
        let sleeps = Sleeps()
        let poller = AuditLogPoller(client: client, options: options, sleep: sleeps.sleep, random: { 0.5 })
        var state = PollerState()
        let events = try poller.poll(&state, now: now).get()
        #expect(events.map(\.id) == ["e1", "e2"])
        #expect(transport.requests.count == 3)
        #expect(sleeps.values.count == 2 && sleeps.values[1] == 5, "Retry-After is honoured: \(sleeps.values)")
        let request = try #require(transport.requests.last)
        #expect(request.method == .get)
        #expect(request.url.hasPrefix("https://api.example/v1/organization/audit_logs?"))
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer sk-admin-memory" })
    }

    @Test("a transport failure that is not transient fails the poll at once")
    func permanentTransportFailure() throws {
        let transport = InMemoryTransport { _, _ in
            .failure(HTTPError(code: 1, message: "unsupported protocol"))
        }
        let client = AuditLogClient(baseURL: "https://api.example/v1", adminKey: "k", http: transport)
        let poller = AuditLogPoller(client: client, options: AuditLogPoller.Options(), sleep: { _ in }, random: { 0.5 })
        var state = PollerState()
        let result = poller.poll(&state, now: now)
        guard case .failure(.permanent(let message)) = result else {
            Issue.record("expected a permanent failure, got \(result)")
            return
        }
        #expect(message == "unsupported protocol")
        #expect(transport.requests.count == 1)
    }
}
