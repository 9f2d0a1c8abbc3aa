import AuditwatchCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The polling service as a swift-service-lifecycle `Service`: a `PollScheduler` hands out the
/// due sources, each poll runs on one of the `PollWorkers` (libcurl and SQLite block) and
/// reports back; start, reloads, the readiness review and the final drain run on the service's
/// own `BlockingLane`. The waits are async and end early on a finished poll or a request
/// (SIGHUP, graceful shutdown).
final class PollingLoop: Service {
    /// One thread touches the service, the lane's; the mutex makes that checkable.
    private let service: Mutex<PollingService>
    private let lane: BlockingLane
    private let requests: ServiceRequests
    private let once: Bool
    private let waitDeliveries: Double
    private let metrics: ServiceMetrics
    /// Loads the config again (on the lane); nil when it has errors.
    private let reload: @Sendable () -> sending ServiceParts?
    /// Told what a reload came to once it is in force (or refused): `auditwatch reload` waits for it.
    private let reported: @Sendable (ReloadOutcome) -> Void
    /// Polls that ended and are not yet taken back by the loop.
    private let finished = Mutex<[(source: String, worker: Int, result: Result<SourcePollResult, any Error>)]>([])

    init(
        _ service: sending PollingService, lane: BlockingLane, requests: ServiceRequests, once: Bool,
        waitDeliveries: Double, metrics: ServiceMetrics, reported: @escaping @Sendable (ReloadOutcome) -> Void,
        reload: @escaping @Sendable () -> sending ServiceParts?
    ) {
        self.reported = reported
        self.service = Mutex(service)
        self.lane = lane
        self.requests = requests
        self.once = once
        self.waitDeliveries = waitDeliveries
        self.metrics = metrics
        self.reload = reload
    }

    func run() async throws {
        let (shared, limits, pause) = try await onLane { service in
            try service.start()
            return (service.shared, service.limits, service.retryPause)
        }
        let workers = try await onLane { try $0.makeWorkers() }
        defer { workers.close() }
        let clock = shared.context.clock
        var scheduler = PollScheduler(limits: limits)
        for source in shared.schedule { scheduler.add(source, due: clock()) }
        var idle = Array(workers.workers.indices.reversed())
        var polls = 0
        var failure: (any Error)?
        var unreviewed = false
        var lastReview = Date.distantPast
        let requests = self.requests
        try await withGracefulShutdownHandler {
            var waiter = ServiceRequests.Waiter(requests)
            while true {
                for poll in finished.withLock({ finished in
                    defer { finished.removeAll() }; return finished
                }) {
                    idle.append(poll.worker)
                    polls += 1
                    unreviewed = true
                    switch poll.result {
                    case .success(let result):
                        shared.setProblem(poll.source, result.problem)
                        scheduler.finished(poll.source, result.problem == nil ? .succeeded : .failed, now: clock())
                    case .failure(let error):
                        failure = failure ?? error
                        scheduler.finished(poll.source, .failed, now: clock())
                    }
                    // `once`: every source polled once, then the run ends.
                    if once { scheduler.remove(poll.source) }
                }
                metrics.pollsInFlight(scheduler.inFlight)
                let stopping = failure != nil || requests.stopRequested || (once && scheduler.sources.isEmpty)
                // Readiness and the outbox gauges: after each wave of polls, at most once a second.
                if unreviewed && failure == nil && (scheduler.inFlight == 0 || Date() >= lastReview + 1) {
                    try await onLane { try $0.review() }
                    unreviewed = false
                    lastReview = Date()
                }
                if stopping {
                    // However the run ends (SIGTERM, a poll that threw, `once` done), no poll left
                    // waits out a retry or a hung request.
                    pause.stop()
                    if scheduler.inFlight == 0 { break }
                    await waiter.wait(1)
                    continue
                }
                if requests.takeReload() {
                    try await onLane { service in
                        let time = Int64(Date().timeIntervalSince1970)
                        let fresh = self.reload()
                        let counts = fresh.map {
                            (rules: $0.ruleSet.rules.count + $0.ruleSet.correlations.count, notifiers: $0.clients.count)
                        }
                        let applied = service.reloaded(fresh)
                        self.reported(
                            ReloadOutcome(
                                time: time, ok: applied, rules: applied ? counts?.rules : nil,
                                notifiers: applied ? counts?.notifiers : nil))
                    }
                    scheduler.update(shared.schedule, now: clock())
                }
                let now = clock()
                // `once` polls what this replica holds now; the rest is another replica's.
                if once {
                    for source in scheduler.sources where !shared.shouldPoll(source.name) {
                        if scheduler.schedule(of: source.name)?.running == false { scheduler.remove(source.name) }
                    }
                    if scheduler.sources.isEmpty { continue }
                }
                for start in scheduler.start(now: now, eligible: shared.shouldPoll) {
                    guard let slot = shared.slot(start.source), let index = idle.popLast() else {
                        scheduler.finished(start.source, .succeeded, now: now)
                        continue
                    }
                    metrics.pollStarted(queueDelay: Double(now - start.due))
                    dispatch(slot, context: shared.context, to: workers.workers[index], index: index, shared: shared)
                }
                metrics.pollsInFlight(scheduler.inFlight)
                // Until the next source falls due (leases may change meanwhile: look again within a second).
                let next = scheduler.nextStart(eligible: shared.shouldPoll).map { Double($0) } ?? .infinity
                await waiter.wait(min(1, max(0.001, next - Date().timeIntervalSince1970 + 0.001)))
            }
        } onGracefulShutdown: {
            requests.requestStop()
            // A poll waiting out a retry stops waiting, and gives up: shutdown is not held up by it.
            pause.stop()
        }
        if let failure { throw failure }
        let done = polls
        try await onLane { service in
            try service.finish(once: self.once, waitDeliveries: self.waitDeliveries, polls: done) {
                requests.stopRequested
            }
        }
    }

    /// Runs one poll on `worker`'s thread, with its connection; the loop is woken when it ends.
    private func dispatch(
        _ slot: SourceSlot, context: PollContext, to worker: PollWorkers.Worker, index: Int, shared: PollShared
    ) {
        worker.lane.post {
            let result = Result { try worker.store.withLock { store in try slot.poll(context, store: store) } }
            if case .success(let polled) = result, polled.fresh > 0 { shared.wakeDelivery() }
            self.finished.withLock { $0.append((slot.name, index, result)) }
            self.requests.wake()
        }
    }

    /// Runs `body` with the service, on the lane.
    private func onLane<T: Sendable>(_ body: @escaping @Sendable (PollingService) throws -> T) async throws -> T {
        try await lane.run { try self.service.withLock { try body($0) } }
    }
}
