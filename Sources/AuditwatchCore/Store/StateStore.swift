/// Where auditwatch keeps what must outlive the process: engine state, source cursors, input
/// positions, alerts and their outbox. The engine, delivery and polling see only this protocol;
/// the SQLite file (the default) and PostgreSQL are conformances in `AuditwatchState`.
///
/// A store is one connection: use it from one thread at a time, and `connect()` another for
/// each thread (delivery lanes do). Every method that writes commits before it returns.
public protocol StateStore: AnyObject, SilenceStoring, ConsoleReading {
    /// Where the store lives, for messages: a file path, or a URL without its password.
    var location: String { get }

    /// Another connection to the same store, for another thread.
    func connect() throws(StateError) -> any StateStore

    /// The saved engine state of `source` (each organization has its own windows), if any.
    func engineState(source: String) throws(StateError) -> EngineState?
    /// A source's own state (a poller's cursor and seen ids), as the JSON it saved.
    func sourceState(_ source: String) throws(StateError) -> String?
    /// Where the input `source` was read up to.
    func position(for source: String) throws(StateError) -> InputPosition?

    /// Commits `checkpoint` in one transaction — engine state, source state, input position and
    /// alerts, each new alert with a pending delivery to each of `sinksFor(alert)` — so after a
    /// crash the store holds all of it or none of it. Alert ids are deterministic: an alert
    /// already stored is not inserted (or delivered) again. Returns the alerts that were new.
    func commit(_ checkpoint: Checkpoint, sinksFor: (Alert) -> [String]) throws(StateError) -> [Alert]

    /// Alerts with their delivery to `sink` (nil: every sink), oldest first; `status` nil for all.
    func alerts(sink: String?, status: DeliveryStatus?) throws(StateError) -> [StoredAlert]
    /// Every alert raised, oldest first, whatever its deliveries.
    func allAlerts() throws(StateError) -> [Alert]

    /// Pending deliveries due at `now` (Unix seconds) and not claimed by anyone, oldest alert
    /// first: to `sink` only when given, after alert `afterSequence` (to page through all).
    func dueDeliveries(
        now: Int64, sink: String?, afterSequence: Int64, limit: Int
    ) throws(StateError)
        -> [StoredAlert]
    /// As `dueDeliveries`, but each returned delivery is claimed by `claimant` until `until`
    /// (Unix seconds): no other connection gets it from `claimDue` or `dueDeliveries` before
    /// then, or before `recordAttempt` releases it. Two connections racing never get the same one.
    /// A store that several machines share measures the claim, `until - now` seconds long, on its
    /// own clock, so replicas whose clocks disagree still never hold one delivery at once.
    func claimDue(
        now: Int64, sink: String?, afterSequence: Int64, limit: Int, claimant: String, until: Int64
    ) throws(StateError) -> [StoredAlert]
    /// The oldest delivery due at `now` ("alert id -> sink"), if any: the head of the queue.
    func oldestDue(now: Int64) throws(StateError) -> String?
    /// The sinks that have pending deliveries.
    func pendingSinks() throws(StateError) -> [String]
    /// Holds every pending delivery to `sink` until `until` at least (a target that said 429 or
    /// Retry-After is paused whole, and the pause outlives a restart). Not counted as an attempt.
    func pause(sink: String, until: Int64) throws(StateError)
    /// Pending deliveries to `sink` (nil: all sinks): (all, due at `now`).
    func pendingCount(sink: String?, now: Int64) throws(StateError) -> (pending: Int, due: Int)
    /// Dead-lettered deliveries.
    func failedCount() throws(StateError) -> Int
    /// The earliest time a pending delivery to `sink` (nil: any sink) is due, if any is pending.
    func nextDueTime(sink: String?) throws(StateError) -> Int64?
    /// Records one delivery attempt — sent, due again at `retryAt`, or failed for good (dead
    /// letter) — and releases its claim. `error` must already be free of secrets.
    func recordAttempt(
        alertID: String, sink: String, status: DeliveryStatus, retryAt: Int64?, error: String?
    ) throws(StateError)
    /// Puts failed deliveries back in the queue: those of alert `alertID` (any sink), or all
    /// when nil. Returns how many were re-queued.
    @discardableResult
    func retryFailed(alertID: String?) throws(StateError) -> Int
    /// When a delivery was first attempted (its retry budget runs from there); set on first call.
    func firstAttemptTime(alertID: String, sink: String, now: Int64) throws(StateError) -> Int64
    /// Records that `ids` reached `sink`, in one transaction.
    func markDelivered(_ ids: [String], sink: String) throws(StateError)
}

// The defaults callers use (a protocol requirement cannot have default arguments).
extension StateStore {
    /// The engine state of the single-input source.
    public func engineState() throws(StateError) -> EngineState? { try engineState(source: "default") }

    /// Commits a batch of the single-input source with a pending delivery to each of `sinks`.
    @discardableResult
    public func checkpoint(
        state: EngineState, position: InputPosition?, alerts: [Alert], sinks: [String]
    ) throws(StateError) -> [Alert] {
        try commit(Checkpoint(state: state, position: position, alerts: alerts)) { _ in sinks }
    }

    /// Commits a batch with the sinks chosen per alert (routing).
    @discardableResult
    public func checkpoint(
        state: EngineState, position: InputPosition?, alerts: [Alert], engineSource: String = "default",
        sourceState: String? = nil, sinksFor: (Alert) -> [String], silenced: [String: String] = [:],
        fence: LeaseFence? = nil
    ) throws(StateError) -> [Alert] {
        var checkpoint = Checkpoint(
            engineSource: engineSource, state: state, sourceState: sourceState, position: position, alerts: alerts)
        checkpoint.silenced = silenced
        checkpoint.fence = fence
        return try commit(checkpoint, sinksFor: sinksFor)
    }

    /// Every delivery with `status` (nil: all), to any sink.
    /// The newest alerts, filtered by rule and level only.
    public func recentAlerts(rule: String? = nil, level: String? = nil, limit: Int) throws(StateError) -> [Alert] {
        try recentAlerts(rule: rule, level: level, limit: limit) { _ in true }
    }

    public func alerts(status: DeliveryStatus?) throws(StateError) -> [StoredAlert] {
        try alerts(sink: nil, status: status)
    }

    /// Pending deliveries to every sink: (all, due at `now`).
    public func pendingCount(now: Int64) throws(StateError) -> (pending: Int, due: Int) {
        try pendingCount(sink: nil, now: now)
    }

    public func nextDueTime() throws(StateError) -> Int64? { try nextDueTime(sink: nil) }

    /// Records an attempt that needs no retry time (sent, or failed for good).
    public func recordAttempt(
        alertID: String, sink: String, status: DeliveryStatus, error: String? = nil
    ) throws(StateError) {
        try recordAttempt(alertID: alertID, sink: sink, status: status, retryAt: nil, error: error)
    }
}
