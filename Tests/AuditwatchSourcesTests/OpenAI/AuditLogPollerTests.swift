import AuditwatchCore
import AuditwatchHTTP
import AuditwatchSources
import AuditwatchTestSupport
import Foundation
import Testing

final class Sleeps: @unchecked Sendable {
    var values: [Double] = []
    func sleep(_ seconds: Double) { values.append(seconds) }
}

private func poller(
    _ standIn: AuditLogStandIn, key: String? = nil, pageSize: Int = 100, paging: String = "after", tenant: Bool = false,
    sleeps: Sleeps = Sleeps()
) throws -> AuditLogPoller {
    var options = AuditLogPoller.Options()
    options.pageSize = pageSize
    options.pagingParameter = paging
    options.tenantEvents = tenant
    options.overlap = 600
    options.initialLookback = 86_400
    let client = AuditLogClient(baseURL: standIn.baseURL, adminKey: key ?? standIn.adminKey, http: try HTTPClient())
    return AuditLogPoller(client: client, options: options, sleep: sleeps.sleep, random: { 0.5 })
}

private let now: Int64 = 1_773_800_000

@Suite("OpenAI audit-log poller against a stand-in on 127.0.0.1", .serialized)
struct AuditLogPollerTests {
    @Test("pagination in either direction reads every event, oldest first", arguments: ["after", "before"])
    func pagination(paging: String) throws {
        let standIn = try AuditLogStandIn(pagingParameter: paging)
        defer { standIn.stop() }
        for index in 0..<250 { standIn.add(id: "e\(index)", at: now - 5000 + Int64(index / 3)) }
        var state = PollerState()
        let events = try poller(standIn, pageSize: 100, paging: paging).poll(&state, now: now).get()
        #expect(events.count == 250)
        #expect(Set(events.map(\.id)).count == 250)
        #expect(events.map(\.effectiveAt) == events.map(\.effectiveAt).sorted())
        #expect(standIn.requests.count == 3)
        #expect(standIn.requests[1].target.contains("\(paging)="))
    }

    @Test("late events behind the cursor are caught by the overlap; overlapping polls never repeat an event")
    func lateAndDuplicates() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        standIn.add(id: "a", at: now - 300)
        standIn.add(id: "b", at: now - 200)
        standIn.add(id: "c", at: now - 100)
        standIn.add(id: "late", at: now - 250, visibleFromRequest: 1)  // shows up on the second poll
        standIn.add(id: "d", at: now + 50, visibleFromRequest: 2)
        let source = try poller(standIn)
        var state = PollerState()
        var processed: [String] = []
        processed += try source.poll(&state, now: now).get().map(\.id)
        processed += try source.poll(&state, now: now + 60).get().map(\.id)
        processed += try source.poll(&state, now: now + 120).get().map(\.id)
        processed += try source.poll(&state, now: now + 180).get().map(\.id)
        #expect(processed == ["a", "b", "c", "late", "d"])
        #expect(state.lateEvents == 1 && state.maxLateness == 150)
        #expect(standIn.requests.allSatisfy { $0.target.contains("effective_at%5Bgte%5D=") })
    }

    @Test("429 waits for Retry-After, 500s and dropped connections are retried, then the poll succeeds")
    func transientFaults() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        standIn.add(id: "x", at: now - 10)
        standIn.inject(.drop)  // first, on a fresh connection, so libcurl reports it
        standIn.inject(.status(429, retryAfter: 3))
        standIn.inject(.status(500))
        standIn.inject(.status(503))
        let sleeps = Sleeps()
        var state = PollerState()
        let events = try poller(standIn, sleeps: sleeps).poll(&state, now: now).get()
        #expect(events.map(\.id) == ["x"])
        #expect(sleeps.values.count == 4)
        #expect(sleeps.values[1] == 3, "Retry-After is honoured: \(sleeps.values)")
    }

    @Test("a refused key is a clear, final failure; so is a persistent outage after the retries")
    func failures() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        var state = PollerState()
        let refused = try poller(standIn, key: "sk-admin-wrong").poll(&state, now: now)
        guard case .failure(.unauthorized(let status, let message)) = refused else {
            Issue.record("expected unauthorized, got \(refused)"); return
        }
        #expect(status == 401 && message == "Incorrect API key provided")
        for _ in 0..<6 { standIn.inject(.status(502)) }
        let outage = try poller(standIn).poll(&state, now: now)
        guard case .failure(.transient) = outage else { Issue.record("expected transient, got \(outage)"); return }
        #expect(state.cursor == nil, "a failed poll changes nothing")
    }

    @Test("page elements that are not events are counted and skipped")
    func invalidElements() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        standIn.add(id: "good", at: now - 10)
        standIn.addRaw(#"{"id":"no-type","effective_at":\#(now - 5)}"#, at: now - 5)
        var state = PollerState()
        #expect(try poller(standIn).poll(&state, now: now).get().map(\.id) == ["good"])
        #expect(state.invalidEvents == 1)
    }

    @Test("tenant-scoped events come from a second query")
    func tenantEvents() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        standIn.add(id: "org", at: now - 10)
        standIn.add(id: "tenant", at: now - 5, type: "tenant.user.added", tenantScoped: true)
        var state = PollerState()
        #expect(try poller(standIn).poll(&state, now: now).get().map(\.id) == ["org"])
        var both = PollerState()
        #expect(try poller(standIn, tenant: true).poll(&both, now: now).get().map(\.id) == ["org", "tenant"])
        #expect(standIn.requests.contains { $0.target.contains("tenant_only=true") })
    }

    @Test("a restart between polls (state saved and restored) processes every event exactly once")
    func restart() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        for index in 0..<40 {
            standIn.add(id: "r\(index)", at: now - 400 + Int64(index * 10), visibleFromRequest: index / 10)
        }
        var processed: [String] = []
        var state = PollerState()
        for round in 0..<6 {
            if round == 3 {
                state = try JSONDecoder().decode(PollerState.self, from: try JSONEncoder().encode(state))
            }
            processed += try poller(standIn).poll(&state, now: now + Int64(round * 30)).get().map(\.id)
        }
        #expect(processed.count == 40)
        #expect(Set(processed).count == 40)
    }

    @Test("an event dated 2100 is returned and counted but does not move the cursor: later events are still read")
    func futureEventKeepsCursor() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        standIn.add(id: "old", at: now - 100)
        standIn.add(id: "y2100", at: 4_102_444_800)
        let poller = try poller(standIn)
        var state = PollerState()
        let first = try poller.poll(&state, now: now).get()
        #expect(first.map(\.id) == ["old", "y2100"])
        #expect(state.cursor == now - 100)
        #expect(state.futureEvents == 1)
        standIn.add(id: "new", at: now + 10)
        let second = try poller.poll(&state, now: now + 20).get()
        #expect(second.map(\.id) == ["new"], "the 2100 event is not read twice, the new one is read")
        // A cursor an earlier version saved in 2100 is pulled back to the clock plus the skew.
        state.cursor = 4_102_444_800
        standIn.add(id: "newer", at: now + 30)
        #expect(try poller.poll(&state, now: now + 40).get().map(\.id) == ["newer"])
        #expect(state.cursor.map { $0 <= now + 40 } == true)
    }
}
