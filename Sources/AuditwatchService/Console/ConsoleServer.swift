import AuditwatchConsole
public import AuditwatchCore
import AuditwatchSources
public import FlyingFox
public import Foundation

/// The console at `/` and the silences API (`/api/v1/silences`) on the service's listener.
///
/// Reading the console needs no token when the listener is loopback; every change does: the API
/// takes `Authorization: Bearer <server.token>`, the console a sign-in that sets an HttpOnly,
/// SameSite=Strict cookie, and each form posts a per-session CSRF token. A request another site
/// started (`Sec-Fetch-Site` other than same-origin, or an `Origin` that is not this host) is
/// refused before anything else. The token is compared in constant time and never shown.
public final class ConsoleServer: Sendable {
    /// What the console needs from the running service.
    public struct Context: Sendable {
        /// A new connection to the state (one per request: the listener's tasks run anywhere).
        public var openStore: @Sendable () throws -> any StateStore
        public var token: String?
        public var host: String
        public var version: String
        public var sources: [String]
        /// Rule id → title (of the rules loaded at start).
        public var ruleTitles: [String: String]
        public var tally: ServiceTally
        public var clock: @Sendable () -> Int64

        public init(
            openStore: @escaping @Sendable () throws -> any StateStore, token: String?, host: String, version: String,
            sources: [String],
            ruleTitles: [String: String], tally: ServiceTally,
            clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        ) {
            self.openStore = openStore
            self.token = token
            self.host = host
            self.version = version
            self.sources = sources
            self.ruleTitles = ruleTitles
            self.tally = tally
            self.clock = clock
        }
    }

    let context: Context
    let sessions = ConsoleSessions()
    /// How many alerts the page lists at most.
    static let alertLimit = 200

    public init(_ context: Context) { self.context = context }

    /// Whether reading needs a sign-in: anything but a loopback listener.
    var readNeedsSignIn: Bool { !context.host.hasPrefix("127.") }

    public typealias Handler = @Sendable (FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse
    public typealias Route = (String, Handler)

    /// The routes to add to the listener.
    public var routes: [(String, Handler)] {
        [
            ("GET /", { [self] in try await self.page($0) }),
            ("POST /login", { [self] in try await self.login($0) }),
            ("POST /logout", { [self] in try await self.change($0) { _, _ in .redirect("/") } }),
            ("POST /silences", { [self] in try await self.change($0, self.createSilence) }),
            ("POST /silences/expire", { [self] in try await self.change($0, self.expireSilence) }),
            ("POST /retry", { [self] in try await self.change($0, self.retry) }),
            ("GET /api/v1/silences", { [self] in try await self.api($0) }),
            ("POST /api/v1/silences", { [self] in try await self.api($0) }),
            ("DELETE /api/v1/silences/*", { [self] in try await self.api($0) }),
        ]
    }

    // MARK: Console pages

    private func page(_ request: FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse {
        let session = currentSession(request)
        if readNeedsSignIn && session == nil { return .html(LoginForm.page(message: nil)) }
        let query = FormFields(pairs: request.query.map { ($0.name, $0.value) })
        var snapshot = try snapshot(
            filter: AlertFilter(rule: query["rule"] ?? "", level: query["level"] ?? "", source: query["source"] ?? ""))
        snapshot.csrf = session?.csrf
        snapshot.notice = query["done"].flatMap(ConsoleServer.notice)
        return .html(ConsolePage.render(snapshot))
    }

    /// The notices a redirect after a change may ask for (fixed texts: nothing from the URL is shown).
    static func notice(_ key: String) -> String? {
        [
            "silenced": "Silence created.", "expired": "Silence expired.", "retried": "Failed deliveries queued again.",
            "signed-in": "Signed in.",
        ][key]
    }

    private func login(_ request: FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse {
        if let refusal = crossSiteRefusal(request) { return refusal }
        let fields = FormFields(String(decoding: try await request.bodyData, as: UTF8.self))
        guard let token = context.token else {
            return .html(
                LoginForm.page(message: "server.token is not set: the console is read only"), status: .forbidden)
        }
        guard ConstantTime.equal(fields["token"] ?? "", token) else {
            return .html(LoginForm.page(message: "wrong token"), status: .unauthorized)
        }
        let session = sessions.open(now: context.clock())
        var response = FlyingFox.HTTPResponse.redirect("/?done=signed-in")
        response.headers[.setCookie] = "aw_session=\(session.id); Path=/; HttpOnly; SameSite=Strict"
        return response
    }

    /// A console change: cross-site check, signed-in session, its CSRF token, then `body`.
    private func change(
        _ request: FlyingFox.HTTPRequest, _ body: (FormFields, FlyingFox.HTTPRequest) throws -> FlyingFox.HTTPResponse
    ) async throws -> FlyingFox.HTTPResponse {
        if let refusal = crossSiteRefusal(request) { return refusal }
        let fields = FormFields(String(decoding: try await request.bodyData, as: UTF8.self))
        guard let session = currentSession(request) else {
            return .html(LoginForm.page(message: "sign in with the server token first"), status: .unauthorized)
        }
        guard ConstantTime.equal(fields["csrf"] ?? "", session.csrf) else {
            return .text("refused: this form is stale or came from another page; reload the console\n", .forbidden)
        }
        if request.path == "/logout" {
            sessions.close(session.id)
            var response = FlyingFox.HTTPResponse.redirect("/")
            response.headers[.setCookie] = "aw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
        return try body(fields, request)
    }

    private func createSilence(_ fields: FormFields, _ request: FlyingFox.HTTPRequest) throws -> FlyingFox.HTTPResponse
    {
        let draft = SilenceDraft(
            matchers: fields["matchers"] ?? "", duration: fields["for"] ?? "", comment: fields["comment"] ?? "",
            author: fields["author"] ?? "")
        let lines = draft.matchers.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let now = context.clock()
        let made = Silence.make(
            id: Silence.newID(), matchers: lines, duration: draft.duration,
            author: draft.author.isEmpty ? "console" : draft.author, comment: draft.comment, now: now)
        guard let silence = made.silence else {
            var snapshot = try snapshot(filter: AlertFilter())
            snapshot.csrf = currentSession(request)?.csrf
            snapshot.draft = draft
            snapshot.problems = made.problems.map { problem in
                problem.matcher.map { "matcher \($0 + 1) '\(lines[$0])', column \(problem.column): \(problem.message)" }
                    ?? problem.message
            }
            return .html(ConsolePage.render(snapshot), status: .badRequest)
        }
        try store().addSilence(silence)
        return .redirect("/?done=silenced#silences")
    }

    private func expireSilence(_ fields: FormFields, _ request: FlyingFox.HTTPRequest) throws -> FlyingFox.HTTPResponse
    {
        guard let id = fields["id"], try store().expireSilence(id: id, now: context.clock()) != nil else {
            return .text("no such silence\n", .notFound)
        }
        return .redirect("/?done=expired#silences")
    }

    private func retry(_ fields: FormFields, _ request: FlyingFox.HTTPRequest) throws -> FlyingFox.HTTPResponse {
        let alert = fields["alert"] ?? ""
        try store().retryFailed(alertID: alert == "all" ? nil : alert)
        return .redirect("/?done=retried#outbox")
    }

    // MARK: Checks

    private func currentSession(_ request: FlyingFox.HTTPRequest) -> (id: String, csrf: String)? {
        guard let cookies = request.headers[.cookie] else { return nil }
        for cookie in cookies.split(separator: ";") {
            let pair = cookie.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix("aw_session=") else { continue }
            let id = String(pair.dropFirst("aw_session=".count))
            if let csrf = sessions.csrf(for: id, now: context.clock()) { return (id, csrf) }
        }
        return nil
    }

    /// A request another site made the browser send: refused whatever it carries.
    func crossSiteRefusal(_ request: FlyingFox.HTTPRequest) -> FlyingFox.HTTPResponse? {
        if let site = request.headers[HTTPHeader("Sec-Fetch-Site")], site != "same-origin", site != "none" {
            return .text(
                "refused: a cross-site request (Sec-Fetch-Site: \(site == "same-site" ? site : "cross-site"))\n",
                .forbidden)
        }
        if let origin = request.headers[HTTPHeader("Origin")] {
            guard let host = request.headers[.host], origin == "http://" + host else {
                return .text("refused: the request's Origin is not this console\n", .forbidden)
            }
        }
        return nil
    }

    func store() throws -> any StateStore { try context.openStore() }
}

extension FlyingFox.HTTPResponse {
    /// Headers on every console page: no script, no external anything, no framing, no referrer
    /// beyond this origin (same-origin, so a form post carries the Origin the check compares).
    static let pageHeaders: [HTTPHeader: String] = [
        .contentType: "text/html; charset=utf-8",
        HTTPHeader("Content-Security-Policy"):
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'",
        HTTPHeader("X-Content-Type-Options"): "nosniff", HTTPHeader("X-Frame-Options"): "DENY",
        HTTPHeader("Referrer-Policy"): "same-origin", .cacheControl: "no-store",
    ]

    static func html(_ body: String, status: HTTPStatusCode = .ok) -> FlyingFox.HTTPResponse {
        FlyingFox.HTTPResponse(statusCode: status, headers: pageHeaders, body: Data(body.utf8))
    }

    static func text(_ body: String, _ status: HTTPStatusCode) -> FlyingFox.HTTPResponse {
        FlyingFox.HTTPResponse(
            statusCode: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: Data(body.utf8))
    }

    static func json(_ body: String, _ status: HTTPStatusCode = .ok) -> FlyingFox.HTTPResponse {
        FlyingFox.HTTPResponse(
            statusCode: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: Data((body + "\n").utf8))
    }

    /// 303 to `location` (a form's answer: the browser then GETs the page).
    static func redirect(_ location: String) -> FlyingFox.HTTPResponse {
        FlyingFox.HTTPResponse(
            statusCode: .seeOther, headers: [.location: location, .cacheControl: "no-store"], body: Data())
    }
}
