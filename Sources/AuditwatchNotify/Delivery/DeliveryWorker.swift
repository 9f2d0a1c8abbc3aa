import AuditwatchCore
import AuditwatchState

/// Sends the outbox: every pending delivery that is due, paced per notifier, retried with capped
/// exponential backoff and jitter (or the target's `Retry-After`), dead-lettered after the retry
/// budget or on a permanent failure. Everything it records and logs is redacted.
public final class DeliveryWorker {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retrying = 0
        public var failed = 0
    }

    private let store: StateStore
    private let clients: [String: NotifierClient]
    private let backoff: BackoffPolicy
    private let clock: () -> Double
    private let sleep: (Double) -> Void
    private let random: () -> Double
    private let log: (String) -> Void
    private var lastSent: [String: Double] = [:]
    /// Notifiers a target told us to stop using (gone webhooks): not used again in this process.
    public private(set) var disabled: [String: String] = [:]
    /// Called once per due delivery with the notifier, what became of it (sent, retry, or failed:
    /// dead-lettered, including when the retry budget ran out) and the seconds its request took
    /// (nil when no request was made).
    public var onOutcome: ((String, String, Double?) -> Void)?

    public init(store: StateStore, clients: [String: NotifierClient], backoff: BackoffPolicy,
                clock: @escaping () -> Double, sleep: @escaping (Double) -> Void, random: @escaping () -> Double,
                log: @escaping (String) -> Void) {
        self.store = store
        self.clients = clients
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self.random = random
        self.log = log
    }

    /// Attempts every delivery due now, once each.
    @discardableResult
    public func deliverDue() throws(StateError) -> Report {
        var report = Report()
        for entry in try store.dueDeliveries(now: Int64(clock())) {
            let alert = entry.alert
            guard let client = clients[entry.sink] else {
                try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: "notifier '\(entry.sink)' is no longer configured")
                log("delivery \(alert.id) -> \(entry.sink): failed: notifier no longer configured")
                onOutcome?(entry.sink, "failed", nil)
                report.failed += 1
                continue
            }
            if let reason = disabled[entry.sink] {
                try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: "notifier disabled: \(reason)")
                onOutcome?(entry.sink, "failed", nil)
                report.failed += 1
                continue
            }
            pace(client)
            let now = clock()
            let first = try store.firstAttemptTime(alertID: alert.id, sink: entry.sink, now: Int64(now))
            let attempt = client.send(alert, now: Int64(now))
            lastSent[client.name] = clock()
            let took = max(0, clock() - now)
            switch attempt.outcome {
            case .delivered:
                try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .sent)
                log("delivery \(alert.id) -> \(entry.sink): sent\(attempt.status.map { " (HTTP \($0))" } ?? "")")
                onOutcome?(entry.sink, "sent", took)
                report.sent += 1
            case .retry(let after, let reason):
                let delay = backoff.delay(afterAttempt: entry.attempts, retryAfter: after, random: random())
                if now + delay - Double(first) > backoff.retryFor {
                    try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: "gave up after \(entry.attempts + 1) attempts: \(reason)")
                    log("delivery \(alert.id) -> \(entry.sink): failed after \(entry.attempts + 1) attempts (\(reason)); moved to dead letters")
                    onOutcome?(entry.sink, "failed", took)
                    report.failed += 1
                } else {
                    try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .pending, retryAt: Int64((now + delay).rounded(.up)), error: reason)
                    log("delivery \(alert.id) -> \(entry.sink): retry in \(Int(delay.rounded(.up)))s (\(reason))")
                    onOutcome?(entry.sink, "retry", took)
                    report.retrying += 1
                }
            case .permanent(let reason):
                try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: reason)
                log("delivery \(alert.id) -> \(entry.sink): failed (\(reason)); moved to dead letters")
                onOutcome?(entry.sink, "failed", took)
                report.failed += 1
            case .disable(let reason):
                disabled[entry.sink] = reason
                try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: reason)
                log("notifier \(entry.sink) disabled: \(reason); fix it, then `auditwatch alerts retry --all-failed`")
                onOutcome?(entry.sink, "failed", took)
                report.failed += 1
            }
        }
        return report
    }

    /// Keeps each notifier under its rate limit.
    private func pace(_ client: NotifierClient) {
        guard let last = lastSent[client.name], client.ratePerSecond > 0 else { return }
        let wait = 1 / client.ratePerSecond - (clock() - last)
        if wait > 0 { sleep(wait) }
    }
}
