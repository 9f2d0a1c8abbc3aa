/// What to do after one delivery attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Try again; `after` is what the target asked for (`Retry-After`), if anything.
    case retry(after: Int?, reason: String)
    /// Will never succeed as sent: dead-letter it.
    case permanent(reason: String)
    /// The destination is gone or refuses us (Discord 404, any 410, Slack `channel_not_found`…):
    /// dead-letter and stop using it until an operator acts.
    case disable(reason: String)
}

/// The notifier kinds.
public enum NotifierKind: String, Sendable, CaseIterable {
    case slack, discord, teams, pagerduty, webhook, stdout
}

/// How responses are read, per target (shared/docs/webhooks.md §6), and how long to wait.
public enum DeliveryPolicy {
    static let retryStatuses: Set<Int> = [408, 429, 500, 502, 503, 504, 522, 524]
    static let slackDisable: Set<String> = [
        "action_prohibited", "channel_not_found", "channel_is_archived", "invalid_token", "no_service", "no_service_id",
        "no_team", "team_disabled", "no_active_hooks", "posting_to_general_channel_denied",
    ]

    /// Classifies an HTTP answer.
    public static func classify(_ kind: NotifierKind, status: Int, body: String, retryAfter: Int?) -> DeliveryOutcome {
        let snippet = MessageText.fit(MessageText.printable(body), 200)
        switch (kind, status) {
        case (.slack, 200):
            return body.trimmingSpaces() == "ok" ? .delivered : .permanent(reason: "Slack answered 200 with \(snippet)")
        case (_, 200...299):
            return .delivered
        case (_, 300...399):
            return .permanent(reason: "HTTP \(status): redirects are never followed")
        case (.discord, 404), (_, 410):
            return .disable(reason: "HTTP \(status): the webhook is gone \(snippet)")
        case (.slack, _) where slackDisable.contains(body.trimmingSpaces()):
            return .disable(reason: "HTTP \(status) \(snippet)")
        case (_, 429):
            return .retry(after: discordRetryAfter(kind, body) ?? retryAfter, reason: "HTTP 429 rate limited")
        case (_, let code) where retryStatuses.contains(code):
            return .retry(after: retryAfter, reason: "HTTP \(code) \(snippet)")
        default:
            return .permanent(reason: "HTTP \(status) \(snippet)")
        }
    }

    /// Classifies a transfer error (the transport says whether it is worth retrying); `message` is its
    /// text as it may be recorded (redacted).
    public static func classify(transportError error: HTTPError, message: String) -> DeliveryOutcome {
        error.isTransient ? .retry(after: nil, reason: message) : .permanent(reason: message)
    }

    /// Discord puts a more precise `retry_after` (float seconds) in the 429 body.
    static func discordRetryAfter(_ kind: NotifierKind, _ body: String) -> Int? {
        guard kind == .discord, let document = try? JSONDocument(parsing: body), document.kind(0) == .object,
            let node = document.member(0, "retry_after"), let seconds = document.double(node)
        else { return nil }
        return Int(seconds.rounded(.up))
    }
}

/// Capped exponential backoff with full jitter; `Retry-After` wins when the target sends one.
public struct BackoffPolicy: Sendable {
    public var base: Double = 1
    public var cap: Double = 300
    /// Longest wait a target's `Retry-After` is honoured for.
    public var maxRetryAfter: Double = 900
    /// How long after the first attempt an alert keeps being retried before it is dead-lettered.
    public var retryFor: Double = 3600

    public init() {}

    /// Seconds to wait before attempt `attempt + 1`; `random` is uniform in [0, 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Int?, random: Double) -> Double {
        if let retryAfter { return min(Double(max(1, retryAfter)), maxRetryAfter) }
        return random * min(cap, base * Double(1 << min(attempt, 30)))
    }
}
