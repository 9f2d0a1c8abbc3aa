import Foundation

/// A stand-in for the audit-log API of many OpenAI organizations on one loopback port. Each
/// organization has its own admin key per caller (`adminKey(organization:caller:)`), so the
/// stand-in knows which organization is asked, and by which replica, from the key alone.
///
/// Events appear over time in waves: `advance()` opens the next wave, and an event is served from
/// its wave on. An event of wave w dated in an earlier wave arrives late (behind the caller's
/// cursor, inside its re-read overlap). The test drives the waves, so what is visible when
/// depends on the test's steps, not on the clock.
public final class OrganizationsStandIn: @unchecked Sendable {
    // @unchecked: every mutable field is read and written under `lock` (the server's threads).
    /// One request the stand-in answered, in arrival order.
    public struct Request: Sendable {
        public var sequence: Int
        public var organization: String
        /// Who asked: the caller part of the admin key (a replica's name).
        public var caller: String
        /// The wave open when it arrived.
        public var wave: Int
        /// Wall-clock arrival (seconds since 1970), for printed figures only.
        public var time: Double
        /// Events in the answer.
        public var returned: Int
    }

    private struct Stored {
        var element: AuditLogPage.Element
        var organization: String
        var wave: Int
        /// Served only in the held answer to this caller (`hold`): a page a fenced replica must
        /// never commit, which no other request ever shows.
        var onlyFor: String?
    }

    public let organizations: [String]
    private let known: Set<String>
    private let lock = NSCondition()
    private var events: [Stored] = []
    private var log: [Request] = []
    private var currentWave = 0
    /// A caller whose next request waits until `release()`, and the organization it asked for.
    private var holding: (caller: String, asked: String?)?
    private var released = true
    public private(set) var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1" }

    public init(organizations: [String]) throws {
        self.organizations = organizations
        known = Set(organizations)
        server = nil
        server = try LoopbackHTTPServer { [weak self] request, _ in self?.answer(request) ?? .drop }
    }

    deinit { stop() }

    public func stop() {
        lock.lock()
        released = true
        holding = nil
        lock.broadcast()
        lock.unlock()
        server?.stop()
    }

    /// The admin key `caller` uses for `organization` (organization names have no `~`).
    public func adminKey(organization: String, caller: String) -> String {
        "sk-admin-\(organization)~\(caller)"
    }

    /// Adds an event of `organization`, served from `wave` on; with `onlyFor`, only in the answer
    /// to that caller's held request (see `hold`).
    public func add(
        organization: String, id: String, at time: Int64, type: String, email: String, wave: Int,
        onlyFor: String? = nil
    ) {
        let json = AuditLogPage.eventJSON(id: id, at: time, type: type, email: email)
        lock.lock(); defer { lock.unlock() }
        events.append(
            Stored(
                element: AuditLogPage.Element(id: id, effectiveAt: time, json: json, tenantScoped: false),
                organization: organization, wave: wave, onlyFor: onlyFor))
    }

    /// Opens the next wave; returns its number (the first `advance()` opens wave 1).
    @discardableResult
    public func advance() -> Int {
        lock.lock(); defer { lock.unlock() }
        currentWave += 1
        return currentWave
    }

    public var wave: Int { lock.lock(); defer { lock.unlock() }; return currentWave }

    /// Every request answered (or being answered) so far, in arrival order.
    public var requests: [Request] { lock.lock(); defer { lock.unlock() }; return log }

    /// The next request from `caller` is held (unanswered) until `release()`.
    public func hold(caller: String) {
        lock.lock(); defer { lock.unlock() }
        holding = (caller, nil)
        released = false
    }

    /// Waits until the held caller's request has arrived; returns the organization it asked for.
    public func waitUntilHeld(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock(); defer { lock.unlock() }
        while holding?.asked == nil && Date() < deadline { _ = lock.wait(until: deadline) }
        return holding?.asked
    }

    /// Lets the held request be answered.
    public func release() {
        lock.lock(); defer { lock.unlock() }
        released = true
        lock.broadcast()
    }

    private func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Reply {
        let key = request.headers["authorization"].map { String($0.dropFirst("Bearer sk-admin-".count)) } ?? ""
        let parts = key.split(separator: "~", maxSplits: 1).map(String.init)
        guard request.headers["authorization"]?.hasPrefix("Bearer sk-admin-") == true, parts.count == 2,
            known.contains(parts[0])
        else {
            return .respond(
                status: 401,
                body:
                    #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#
            )
        }
        guard request.target.hasPrefix("/v1/organization/audit_logs") else { return .respond(status: 404, body: "{}") }
        let (organization, caller) = (parts[0], parts[1])
        lock.lock(); defer { lock.unlock() }
        let wave = currentWave
        let held = holding.map { $0.caller == caller && $0.asked == nil } ?? false
        let visible = events.filter {
            $0.organization == organization && $0.wave <= wave && ($0.onlyFor == nil || (held && $0.onlyFor == caller))
        }
        let page = AuditLogPage.answer(
            target: request.target, visible: visible.map(\.element), pagingParameter: "after")
        log.append(
            Request(
                sequence: log.count, organization: organization, caller: caller, wave: wave,
                time: Date().timeIntervalSince1970, returned: page.count))
        if held {
            holding = (caller, organization)
            lock.broadcast()
            while !released { lock.wait() }
        }
        return .respond(status: 200, headers: [("Content-Type", "application/json")], body: page.body)
    }
}
