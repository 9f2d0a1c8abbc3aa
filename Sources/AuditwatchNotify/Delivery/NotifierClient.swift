import AuditwatchConfig
public import AuditwatchCore

/// One configured notifier, ready to send: the target's payload, headers and URL, over an HTTP transport.
public final class NotifierClient {
    public let name: String
    public let kind: NotifierKind
    public let ratePerSecond: Double
    private let url: Secret?
    private let routingKey: Secret?
    private let signingKey: [UInt8]?
    private let http: (any HTTPTransport)?
    private let redactor: Redactor
    private let printLine: (String) -> Void
    private let template: SummaryTemplate?

    init(
        name: String, kind: NotifierKind, ratePerSecond: Double, url: Secret?, routingKey: Secret?,
        signingKey: [UInt8]?, http: (any HTTPTransport)?, redactor: Redactor, template: SummaryTemplate? = nil,
        printLine: @escaping (String) -> Void
    ) {
        self.template = template
        self.name = name
        self.kind = kind
        self.ratePerSecond = ratePerSecond
        self.url = url
        self.routingKey = routingKey
        self.signingKey = signingKey
        self.http = http
        self.redactor = redactor
        self.printLine = printLine
    }

    /// What one attempt produced: the outcome, and what the target answered (redacted).
    public struct Attempt: Sendable {
        public var outcome: DeliveryOutcome
        public var status: Int?
        public var responseBody: String
        /// The transfer was stopped because the service is stopping: its outcome is unknown and
        /// nothing may be recorded (the delivery stays pending and is sent again).
        public var aborted = false
    }

    /// Stops a transfer in flight when it turns true (a stopping service's drain deadline passed).
    public func abortWhen(_ check: @escaping @Sendable () -> Bool) { http?.abortWhen = check }

    /// The request this notifier sends for `alert` (exposed for tests and `notify test`).
    public func request(for original: Alert, now: Int64) -> HTTPRequest? {
        guard let url else { return nil }
        let alert = presented(original)
        var headers: [(name: String, value: String)] = [(name: "Content-Type", value: "application/json")]
        let body: String
        var target = url.value
        switch kind {
        case .slack: body = AlertMessages.slack(alert)
        case .discord:
            body = AlertMessages.discord(alert)
            if !target.contains("wait=") { target += (target.contains("?") ? "&" : "?") + "wait=true" }
        case .teams: body = AlertMessages.teams(alert)
        case .pagerduty: body = AlertMessages.pagerDuty(alert, routingKey: routingKey?.value ?? "")
        case .webhook:
            body = AlertMessages.webhook(alert)
            // The id is the receiver's idempotency key: the same on every retry of this alert.
            let messageID = "msg_" + alert.id
            headers.append((name: "webhook-id", value: messageID))
            headers.append((name: "webhook-timestamp", value: String(now)))
            if let signingKey {
                headers.append(
                    (
                        name: "webhook-signature",
                        value: StandardWebhookSignature.sign(
                            id: messageID, timestamp: now, body: Array(body.utf8), key: signingKey)
                    ))
            }
        case .stdout: return nil
        }
        return HTTPRequest(method: .post, url: target, headers: headers, body: Array(body.utf8))
    }

    /// The alert with this notifier's message in place of the summary, when it has a template.
    private func presented(_ alert: Alert) -> Alert {
        guard let template else { return alert }
        var shown = alert
        shown.summary = template.render(alert: alert)
        return shown
    }

    /// Sends `alert` once.
    public func send(_ alert: Alert, now: Int64) -> Attempt {
        if kind == .stdout {
            printLine(AlertFormatter.jsonLine(presented(alert)))
            return Attempt(outcome: .delivered, status: nil, responseBody: "")
        }
        guard let http, let request = request(for: alert, now: now) else {
            return Attempt(outcome: .permanent(reason: "notifier has no URL"), status: nil, responseBody: "")
        }
        do {
            let response = try http.perform(request)
            let body = redactor.redact(response.bodyText)
            var outcome = DeliveryPolicy.classify(
                kind, status: response.status, body: body, retryAfter: response.retryAfter)
            if case .permanent(let reason) = outcome { outcome = .permanent(reason: redactor.redact(reason)) }
            return Attempt(outcome: outcome, status: response.status, responseBody: MessageText.fit(body, 2000))
        } catch {
            if error.aborted {
                return Attempt(
                    outcome: .retry(after: nil, reason: error.message), status: nil, responseBody: "", aborted: true)
            }
            return Attempt(
                outcome: DeliveryPolicy.classify(transportError: error, message: redactor.redact(error.message)),
                status: nil, responseBody: "")
        }
    }
}
