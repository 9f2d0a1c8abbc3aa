public import AuditwatchCore

/// Sends the outbox: every pending delivery that is due, paced per notifier, retried with capped
/// exponential backoff and jitter (or the target's `Retry-After`), dead-lettered after the retry
/// budget or on a permanent failure. Everything it records and logs is redacted. One worker
/// serves one thread; `DeliveryLanes` gives each notifier a worker and a thread of its own.
public final class DeliveryWorker {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retrying = 0
        public var failed = 0

        mutating func add(_ other: Report) {
            sent += other.sent
            retrying += other.retrying
            failed += other.failed
        }
    }

    private let store: any StateStore
    private let clients: [String: NotifierClient]
    private let backoff: BackoffPolicy
    private let clock: () -> Double
    /// Waits for pacing (lanes make it interruptible).
    var sleep: (Double) -> Void
    private let random: () -> Double
    private let log: (String) -> Void
    private var lastSent: [String: Double] = [:]
    /// Notifiers a target told us to stop using (gone webhooks): not used again in this process.
    public private(set) var disabled: [String: String] = [:]
    /// Called once per due delivery with the notifier, what became of it (sent, retry, or failed:
    /// dead-lettered, including when the retry budget ran out) and the seconds its request took
    /// (nil when no request was made).
    public var onOutcome: ((String, String, Double?) -> Void)?
    /// Takes the log lines as fields (a structured log) instead of `log`'s text.
    public var logLine: ((DeliveryLogLine) -> Void)?

    public init(
        store: any StateStore, clients: [String: NotifierClient], backoff: BackoffPolicy,
        clock: @escaping () -> Double, sleep: @escaping (Double) -> Void, random: @escaping () -> Double,
        log: @escaping (String) -> Void
    ) {
        self.store = store
        self.clients = clients
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self.random = random
        self.log = log
    }

    /// Asked before each attempt: true stops the round (the service is stopping); what is not
    /// attempted stays pending in the outbox.
    public var shouldStop: () -> Bool = { false }
    /// Replicas sharing one outbox (PostgreSQL): each delivery is claimed under this name just
    /// before its attempt (`claimDue`, `FOR UPDATE SKIP LOCKED`), so one replica at a time sends
    /// it. Nil (one process): deliveries are read, not claimed.
    public var claimant: String?
    /// How long a claim holds off the other replicas: longer than one attempt (the HTTP timeout
    /// and pacing); a replica killed mid-request leaves its claim to run out, then another sends.
    public var claimSeconds: Int64 = 60

    /// Attempts every delivery due now, once each, target by target, with no cap on how many.
    @discardableResult
    public func deliverDue() throws(StateError) -> Report {
        var report = Report()
        for sink in try store.pendingSinks() {
            if shouldStop() { break }
            report.add(try deliverDue(sink: sink))
        }
        return report
    }

    /// Attempts every delivery to `sink` due now, once each, oldest alert first. A target that
    /// answers 429, sends `Retry-After` or cannot be reached is paused whole: the rest of its
    /// deliveries wait with it instead of each earning a refusal (or a timeout) of its own.
    @discardableResult
    public func deliverDue(sink: String) throws(StateError) -> Report {
        var report = Report()
        var after: Int64 = 0
        while !shouldStop() {
            let now = Int64(clock())
            // Claimed one at a time: a claim never runs out while it waits behind others in a batch.
            let batch: [StoredAlert]
            if let claimant {
                batch = try store.claimDue(
                    now: now, sink: sink, afterSequence: after, limit: 1, claimant: claimant, until: now + claimSeconds)
            } else {
                batch = try store.dueDeliveries(now: now, sink: sink, afterSequence: after, limit: 100)
            }
            guard !batch.isEmpty else { break }
            for entry in batch {
                if shouldStop() { return report }
                after = entry.sequence
                let step = try attempt(entry)
                report.add(step.report)
                if step.pauseTarget { return report }
            }
        }
        return report
    }

    /// One attempt; `pauseTarget` when the target asked for (or needs) a pause.
    private func attempt(_ entry: StoredAlert) throws(StateError) -> (report: Report, pauseTarget: Bool) {
        var report = Report()
        let alert = entry.alert
        guard let client = clients[entry.sink] else {
            try store.recordAttempt(
                alertID: alert.id, sink: entry.sink, status: .failed,
                error: "notifier '\(entry.sink)' is no longer configured")
            emit(
                .delivery(
                    "failed", alert: alert.id, notifier: entry.sink, attempts: entry.attempts + 1,
                    extra: [("reason", "notifier no longer configured")],
                    text: "delivery \(alert.id) -> \(entry.sink): failed: notifier no longer configured"))
            onOutcome?(entry.sink, "failed", nil)
            report.failed += 1
            return (report, false)
        }
        if let reason = disabled[entry.sink] {
            try store.recordAttempt(
                alertID: alert.id, sink: entry.sink, status: .failed, error: "notifier disabled: \(reason)")
            onOutcome?(entry.sink, "failed", nil)
            report.failed += 1
            return (report, false)
        }
        pace(client)
        if shouldStop() { return (report, true) }
        let now = clock()
        let first = try store.firstAttemptTime(alertID: alert.id, sink: entry.sink, now: Int64(now))
        let attempt = client.send(alert, now: Int64(now))
        lastSent[client.name] = clock()
        // Stopped in flight: the target may or may not have it; it stays pending, unrecorded.
        if attempt.aborted { return (report, true) }
        let took = max(0, clock() - now)
        switch attempt.outcome {
        case .delivered:
            try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .sent)
            emit(
                .delivery(
                    "sent", alert: alert.id, notifier: entry.sink, attempts: entry.attempts + 1,
                    extra: attempt.status.map { [("http_status", String($0))] } ?? [],
                    text: "delivery \(alert.id) -> \(entry.sink): sent\(attempt.status.map { " (HTTP \($0))" } ?? "")"))
            onOutcome?(entry.sink, "sent", took)
            report.sent += 1
        case .retry(let retryAfter, let reason):
            let delay = backoff.delay(afterAttempt: entry.attempts, retryAfter: retryAfter, random: random())
            let retryAt = Int64((now + delay).rounded(.up))
            if now + delay - Double(first) > backoff.retryFor {
                try store.recordAttempt(
                    alertID: alert.id, sink: entry.sink, status: .failed,
                    error: "gave up after \(entry.attempts + 1) attempts: \(reason)")
                emit(
                    .delivery(
                        "failed", alert: alert.id, notifier: entry.sink, attempts: entry.attempts + 1,
                        extra: [("reason", reason), ("dead_letter", "true")],
                        text:
                            "delivery \(alert.id) -> \(entry.sink): failed after \(entry.attempts + 1) attempts (\(reason)); moved to dead letters"
                    ))
                onOutcome?(entry.sink, "failed", took)
                report.failed += 1
            } else {
                try store.recordAttempt(
                    alertID: alert.id, sink: entry.sink, status: .pending, retryAt: retryAt, error: reason)
                emit(
                    .delivery(
                        "retry", alert: alert.id, notifier: entry.sink, attempts: entry.attempts + 1,
                        extra: [("reason", reason), ("retry_in", "\(Int(delay.rounded(.up)))s")],
                        text: "delivery \(alert.id) -> \(entry.sink): retry in \(Int(delay.rounded(.up)))s (\(reason))")
                )
                onOutcome?(entry.sink, "retry", took)
                report.retrying += 1
            }
            // 429 / Retry-After speak for the whole target; so does a target we cannot reach.
            if retryAfter != nil || attempt.status == 429 || attempt.status == nil {
                try store.pause(sink: entry.sink, until: retryAt)
                if attempt.status != nil || retryAfter != nil {
                    emit(
                        .notifier(
                            "paused", notifier: entry.sink, extra: [("for", "\(Int(delay.rounded(.up)))s")],
                            text:
                                "notifier \(entry.sink) paused for \(Int(delay.rounded(.up)))s (the target asked to wait)"
                        ))
                }
                return (report, true)
            }
        case .permanent(let reason):
            try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: reason)
            emit(
                .delivery(
                    "failed", alert: alert.id, notifier: entry.sink, attempts: entry.attempts + 1,
                    extra: [("reason", reason), ("dead_letter", "true")],
                    text: "delivery \(alert.id) -> \(entry.sink): failed (\(reason)); moved to dead letters"))
            onOutcome?(entry.sink, "failed", took)
            report.failed += 1
        case .disable(let reason):
            disabled[entry.sink] = reason
            try store.recordAttempt(alertID: alert.id, sink: entry.sink, status: .failed, error: reason)
            emit(
                .notifier(
                    "disabled", notifier: entry.sink, extra: [("reason", reason)],
                    text:
                        "notifier \(entry.sink) disabled: \(reason); fix it, then `auditwatch alerts retry --all-failed`"
                ))
            onOutcome?(entry.sink, "failed", took)
            report.failed += 1
        }
        return (report, false)
    }

    private func emit(_ line: DeliveryLogLine) {
        if let logLine { logLine(line) } else { log(line.text) }
    }

    /// The sinks with pending deliveries.
    public func pendingSinks() throws(StateError) -> [String] { try store.pendingSinks() }

    /// When the next pending delivery to `sink` is due, if any is pending.
    public func nextDueTime(sink: String) throws(StateError) -> Int64? { try store.nextDueTime(sink: sink) }

    /// Keeps each notifier under its rate limit.
    private func pace(_ client: NotifierClient) {
        guard let last = lastSent[client.name], client.ratePerSecond > 0 else { return }
        let wait = 1 / client.ratePerSecond - (clock() - last)
        if wait > 0 { sleep(wait) }
    }
}
