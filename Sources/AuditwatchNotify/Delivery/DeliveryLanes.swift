public import AuditwatchCore
public import Foundation

/// The outbox sent in the background: one thread per notifier, each with its own state-store
/// connection and HTTP handle, so polling never waits for a target and a hung Discord never
/// delays Slack. The caller commits alerts and calls `wake`; `finish` and `stop` end the lanes.
///
/// How lanes end: `finish` keeps sending until nothing is due (waiting for retries up to a
/// time), `stop` lets each lane end its attempt in flight; past a deadline every transfer in
/// flight is aborted (libcurl's progress callback) and its delivery stays pending, unrecorded.
public final class DeliveryLanes: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition` (an NSCondition, not a Mutex:
    // lanes wait on it for work); the workers and clients are handed to their lane's thread at
    // `start` and touched by no other thread after that.
    private enum Mode: Equatable {
        case running
        /// Send what is due (and retries due by then); end when a lane has nothing left before it.
        case finishing(retriesUntil: Double)
        /// No new attempts; the one in flight may complete.
        case quitting
        /// Transfers in flight are aborted.
        case aborting
    }

    private let condition = NSCondition()
    private var mode = Mode.running
    private var generation = 0
    private var running = 0
    private var report = DeliveryWorker.Report()
    private let lanes: [(sink: String, make: () throws(StateError) -> DeliveryWorker, client: NotifierClient)]
    private let store: any StateStore
    private let clock: () -> Double
    private let log: (String) -> Void
    private let logLine: ((DeliveryLogLine) -> Void)?
    private var started = false

    /// Each notifier's worker gets a connection of its own to `store` (`connect()`), made at `start`.
    public init(
        store: any StateStore, clients: [String: NotifierClient], backoff: BackoffPolicy,
        clock: @escaping () -> Double = { Date().timeIntervalSince1970 },
        random: @escaping () -> Double = { Double.random(in: 0..<1) },
        log: @escaping (String) -> Void, logLine: ((DeliveryLogLine) -> Void)? = nil,
        onOutcome: ((String, String, Double?) -> Void)? = nil
    ) {
        self.store = store
        self.clock = clock
        self.log = log
        self.logLine = logLine
        var lanes: [(sink: String, make: () throws(StateError) -> DeliveryWorker, client: NotifierClient)] = []
        for (name, client) in clients.sorted(by: { $0.key < $1.key }) {
            lanes.append(
                (
                    name,
                    { () throws(StateError) -> DeliveryWorker in
                        let worker = DeliveryWorker(
                            store: try store.connect(), clients: [name: client], backoff: backoff,
                            clock: clock, sleep: { _ in }, random: random, log: log)
                        worker.onOutcome = onOutcome
                        worker.logLine = logLine
                        return worker
                    }, client
                ))
        }
        self.lanes = lanes
    }

    /// Replicas sharing the outbox: the name each lane claims its deliveries under (see
    /// `DeliveryWorker.claimant`); set before `start`.
    public var claimant: String?
    /// How long a lane's claim lasts (`DeliveryWorker.claimSeconds`).
    public var claimSeconds: Int64 = 60

    /// The notifiers that have a lane.
    public var sinks: [String] { lanes.map(\.sink) }

    /// Starts one thread per notifier. Deliveries to notifiers no longer configured are
    /// dead-lettered first (no lane would ever send them).
    public func start() throws(StateError) {
        condition.lock()
        guard !started else { condition.unlock(); return }
        started = true
        condition.unlock()
        let sweep = DeliveryWorker(
            store: try store.connect(), clients: [:], backoff: BackoffPolicy(),
            clock: clock, sleep: { _ in }, random: { 0 }, log: log)
        sweep.logLine = logLine
        let known = Set(sinks)
        for sink in try sweep.pendingSinks() where !known.contains(sink) { try sweep.deliverDue(sink: sink) }
        for lane in lanes {
            let worker = try lane.make()
            worker.claimant = claimant
            worker.claimSeconds = claimSeconds
            worker.shouldStop = { [unowned self] in self.current != .running && !self.isFinishing }
            worker.sleep = { [unowned self] seconds in self.sleep(seconds) }
            lane.client.abortWhen { [weak self] in self?.current == .aborting }
            condition.lock(); running += 1; condition.unlock()
            let handoff = Handoff(worker), sink = lane.sink
            let thread = Thread { [self] in self.serve(sink, handoff.value) }
            thread.name = "delivery " + lane.sink
            thread.start()
        }
    }

    /// New deliveries were committed: lanes waiting for work look again.
    public func wake() {
        condition.lock()
        generation += 1
        condition.broadcast()
        condition.unlock()
    }

    /// For runs that end: sends everything due, and retries falling due up to `waitRetries`
    /// seconds from now, then ends the lanes. When `interrupted` turns true (a signal), it
    /// stops as a service does, within `drain`. Returns what the lanes did in total.
    @discardableResult
    public func finish(
        waitRetries: Double, drain: Double = 10, interrupted: () -> Bool = { false }
    ) -> DeliveryWorker.Report {
        set(.finishing(retriesUntil: clock() + max(0, waitRetries)))
        while !waitForLanes(deadline: Date().addingTimeInterval(0.2)) {
            if interrupted() {
                stop(drain: drain)
                break
            }
        }
        condition.lock(); defer { condition.unlock() }
        return report
    }

    /// For a stopping service: sends what is due until `drain` seconds have passed, then aborts
    /// what is in flight. Returns whether every lane ended in time (the rest stays pending).
    @discardableResult
    public func stop(drain: Double, finishDue: Bool = true) -> Bool {
        set(finishDue ? .finishing(retriesUntil: clock()) : .quitting)
        if waitForLanes(deadline: Date().addingTimeInterval(max(0, drain))) { return true }
        set(.aborting)
        // libcurl calls the progress callback at least once a second, even on a silent socket.
        return waitForLanes(deadline: Date().addingTimeInterval(3))
    }

    private var current: Mode {
        condition.lock(); defer { condition.unlock() }
        return mode
    }

    private var isFinishing: Bool {
        if case .finishing = current { return true }
        return false
    }

    private func set(_ new: Mode) {
        condition.lock()
        mode = new
        generation += 1
        condition.broadcast()
        condition.unlock()
    }

    @discardableResult
    private func waitForLanes(deadline: Date?) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while running > 0 {
            if let deadline {
                if !condition.wait(until: deadline) && running > 0 { return false }
            } else {
                condition.wait()
            }
        }
        return true
    }

    /// Sleeps for pacing; cut short only by an abort.
    private func sleep(_ seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        condition.lock(); defer { condition.unlock() }
        while mode != .aborting && Date() < until { _ = condition.wait(until: until) }
    }

    /// One lane: deliver what is due, then sleep until the next delivery falls due or new work
    /// is committed; end as the mode says.
    private func serve(_ sink: String, _ worker: DeliveryWorker) {
        defer {
            condition.lock(); running -= 1; condition.broadcast(); condition.unlock()
        }
        while true {
            condition.lock()
            let seen = generation
            let mode = self.mode
            condition.unlock()
            if mode == .aborting || mode == .quitting { return }
            var next: Int64?
            do {
                let done = try worker.deliverDue(sink: sink)
                condition.lock(); report.add(done); condition.unlock()
                next = try worker.nextDueTime(sink: sink)
            } catch {
                let text = "delivery to \(sink): \(error.message); trying again in 1s"
                if let logLine {
                    logLine(
                        .notifier(
                            "error", notifier: sink, extra: [("error", error.message), ("retry_in", "1s")], text: text))
                } else {
                    log(text)
                }
                next = Int64(clock()) + 1
            }
            let now = clock()
            condition.lock()
            if case .finishing(let until) = self.mode, next.map({ Double($0) > until }) ?? true {
                condition.unlock()
                return
            }
            if let next, Double(next) <= now, self.mode != .aborting, self.mode != .quitting {
                condition.unlock()
                continue
            }
            // Nothing due now: sleep until the next due time (at most 5 s), or until woken.
            let wakeAt = Date().addingTimeInterval(min(5, max(0.05, next.map { Double($0) - now } ?? 5)))
            while generation == seen && Date() < wakeAt { _ = condition.wait(until: wakeAt) }
            condition.unlock()
        }
    }
}

/// Moves a value to the one thread that uses it from then on.
// @unchecked: the value (a worker over its own connection) is not Sendable; after the handoff
// only the lane's thread touches it.
private final class Handoff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
