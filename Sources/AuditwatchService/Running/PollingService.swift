import AuditwatchConfig
public import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
import AuditwatchSources
public import Foundation
public import Logging

/// `run --config` with `sources:`: polls each organization's audit log, runs its events through
/// its own engine, and commits engine state, poller state and alerts together, so a crash or
/// restart resumes exactly where it stopped. A source that keeps failing raises its own alert.
/// Polls run on worker threads (`PollWorkers`), as `PollScheduler` hands them out: each source at
/// its own interval, at most `polling.concurrency` at once and `polling.per_host` per API host,
/// so a slow or failing organization never holds back the others. Delivery runs beside polling,
/// one lane per notifier (`DeliveryLanes`): a slow or hung target never holds back the polls.
/// SIGTERM/SIGINT let the polls in flight end, send what is due until the drain deadline
/// (`delivery.drain`) and exit, leaving the rest in the outbox; SIGHUP reloads rules, calendars,
/// routes and notifiers, keeping the running ones when the new ones have errors.
///
/// Not Sendable: one thread owns it (the `BlockingLane` that `PollingLoop` runs it on, behind
/// a mutex); what polls share with it is in `PollShared`, readiness in `ServiceReadiness`.
public final class PollingService {
    private var service: ServiceParts
    private var lanes: DeliveryLanes
    /// The source names, in config order.
    private var sourceNames: [String] = []
    let shared: PollShared
    private let clock: @Sendable () -> Int64
    private let options: EngineOptions
    private let log: Logger
    private let metrics: ServiceMetrics
    private var redactor: Redactor
    /// The admin keys, kept in the redaction across reloads (a reload changes only notifiers' secrets).
    private var sourceSecrets: [Secret] = []
    /// Shared with the health server (`/readyz`).
    public let readiness = ServiceReadiness()
    /// The pauses of every source's retries; the polling loop ends them on shutdown.
    let retryPause = RetryPause()
    /// Send the alerts of a new source's first poll too (`run --backfill-notify`).
    public var backfillNotify: Bool {
        get { shared.context.backfillNotify }
        set { shared.update { $0.context.backfillNotify = newValue } }
    }
    /// Replicas (state in PostgreSQL): the keeper whose leases say which sources this one polls,
    /// each commit fenced by its token. Nil: one process polls every source.
    public var cluster: LeaseKeeper? {
        didSet {
            let cluster = self.cluster
            shared.update { $0.context.cluster = cluster }
        }
    }
    /// The delivery at the head of the due queue, and since when it has been there.
    private var queueHead: (delivery: String?, since: Int64) = (nil, 0)

    public init(
        service: ServiceParts, options: EngineOptions, log: Logger,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        metrics: ServiceMetrics = ServiceMetrics(version: "unknown")
    ) throws {
        self.service = service
        self.metrics = metrics
        lanes = service.makeLanes()
        self.clock = clock
        self.options = options
        self.log = log
        var redactor = service.redactor
        var problems: [Diagnostic] = []
        var slots: [SourceSlot] = []
        for config in service.config.sources {
            switch SecretResolver().adminKey(of: config) {
            case .failure(let problem):
                problems.append(problem)
            case .success(let key):
                redactor.add(key)
                sourceSecrets.append(key)
                let loaded = try LoadedSourceState(config.name, store: service.store)
                slots.append(
                    SourceSlot(
                        PolledSource(
                            config: config,
                            poller: try PollerRecipe(
                                config: config, key: key, http: HTTPClientOptions(config: service.config),
                                pause: retryPause
                            ).make(),
                            loaded: loaded, ruleSet: service.ruleSet(for: config.name), options: options)))
                sourceNames.append(config.name)
            }
        }
        guard problems.isEmpty else { throw ServiceSetupError(diagnostics: problems) }
        self.redactor = redactor
        shared = PollShared(
            slots: slots,
            context: PollContext(
                ruleSet: service.ruleSet, variants: service.variants, routers: service.routers, generation: 0,
                router: service.router, redactor: redactor, options: options, backfillNotify: false, metrics: metrics,
                log: log, clock: clock),
            lanes: lanes)
        log.redacting(redactor)
        attachDeliveryMetrics()
        metrics.loaded(at: clock())
    }

    /// Every series of these sources, notifiers and rules at zero; delivery outcomes counted.
    private func attachDeliveryMetrics() {
        let metrics = self.metrics, log = self.log
        let rules =
            service.ruleSet.rules.map { (id: $0.rule.id, level: $0.rule.level.rawValue) }
            + service.ruleSet.correlations.map { (id: $0.rule.id, level: $0.rule.level.rawValue) }
        metrics.prepare(
            sources: sourceNames, notifiers: service.clients.keys.sorted(), rules: rules,
            deliveryTimeout: Double(service.config.timeout))
        lanes = service.makeLanes(log: { line in
            log.log(line.fields.contains { $0 == ("outcome", "sent") } ? .info : .warning, line.message, line.fields)
        }) { notifier, outcome, seconds in
            metrics.delivery(notifier: notifier, outcome: outcome, seconds: seconds)
        }
        let lanes = self.lanes
        shared.update { $0.lanes = lanes }
    }

    /// The bounds of `polling:`.
    public var limits: PollScheduler.Limits { service.config.polling }

    /// The workers polls run on, `polling.concurrency` of them, each with its own connection.
    func makeWorkers() throws(StateError) -> PollWorkers {
        let store = service.store
        return try PollWorkers(count: limits.concurrency) { () throws(StateError) -> sending any StateStore in
            // A new connection shares no state with `store` or any other connection (the contract
            // of `connect()`), so it may go to the worker's thread; the compiler cannot see that.
            nonisolated(unsafe) let connection = try store.connect()
            return connection
        }
    }

    /// One round on the calling thread, on the service's own connection: every source this
    /// replica polls, polled once in config order and committed, then `review` (in-process tests,
    /// where the order of polls must be fixed).
    public func pollOnce() throws {
        let shared = self.shared
        for name in sourceNames where shared.shouldPoll(name) {
            guard let slot = shared.slot(name) else { continue }
            let result = try slot.poll(shared.context, store: service.store)
            shared.setProblem(name, result.problem)
            if result.fresh > 0 { shared.wakeDelivery() }
        }
        try review()
    }

    /// After polls: the outbox in the metrics, `/readyz` from the failing sources and the outbox.
    public func review() throws {
        var problems = shared.problems
        do {
            metrics.outbox(
                pending: try service.store.pendingCount(now: clock()).pending,
                deadLetters: try service.store.failedCount())
            // The outbox is stuck when the same delivery has headed the due queue for five minutes.
            let head = try service.store.oldestDue(now: clock())
            if head != queueHead.delivery { queueHead = (head, clock()) }
            if let head, clock() - queueHead.since > 300 {
                problems.append("outbox: delivery \(head) due and unsent since \(UTCTime.iso8601(queueHead.since))")
            }
        } catch {
            // An unreachable store makes the service unready, not gone: polls back off and resume
            // from the saved state when it answers again.
            problems.append("state store: \(redactor.redact("\(error)"))")
        }
        readiness.set(ready: problems.isEmpty, reason: problems.isEmpty ? "ready" : problems.joined(separator: "; "))
    }

    /// Logs the start and starts the delivery lanes.
    public func start() throws {
        log.info(
            "started",
            [
                ("event", "start"), ("sources", sourceNames.joined(separator: ",")),
                ("rules", String(service.ruleSet.rules.count + service.ruleSet.correlations.count)),
            ])
        claimDeliveries()
        try lanes.start()
    }

    /// Replicas share the outbox: each delivery is claimed for twice the HTTP timeout (at least a
    /// minute), so a claim outlives its attempt and one replica at a time sends it.
    private func claimDeliveries() {
        lanes.claimant = cluster?.held.replica
        lanes.claimSeconds = Int64(max(60, 2 * service.config.timeout))
    }

    /// Takes the outcome of a reload: new parts are swapped in, none (they had errors) leaves the
    /// running rules, routes and notifiers in force. Returns whether the new parts are in force.
    @discardableResult
    public func reloaded(_ fresh: ServiceParts?) -> Bool {
        if let fresh {
            // Every organization's admin key first: one that cannot be resolved keeps the running config.
            var keys: [String: Secret] = [:]
            var problems: [String] = []
            for config in fresh.config.sources {
                switch SecretResolver().adminKey(of: config) {
                case .success(let key): keys[config.name] = key
                case .failure(let problem):
                    problems.append("\(problem.location.map { "\($0): " } ?? "")\(problem.message)")
                }
            }
            if problems.isEmpty {
                apply(fresh, keys: keys)
                return true
            }
            for problem in problems { log.error("reload: \(problem)", [("event", "reload")]) }
        }
        metrics.reloaded(ok: false, at: clock())
        log.error(
            "reload failed; the running rules, routes and notifiers stay in force",
            [("event", "reload"), ("outcome", "failed")])
        return false
    }

    /// Ends the service after `polls` polls (all polls have ended). `once` then sends everything
    /// due, waiting up to `waitDeliveries` seconds for retries (until `interrupted`); a stop sends
    /// what is due for at most `delivery.drain`.
    public func finish(once: Bool, waitDeliveries: Double, polls: Int, interrupted: () -> Bool) throws {
        if once && !interrupted() {
            lanes.finish(waitRetries: waitDeliveries, drain: service.config.drain, interrupted: interrupted)
        } else if !lanes.stop(drain: service.config.drain) {
            log.warning(
                "drain deadline passed; unsent deliveries stay in the outbox",
                [("drain", TimeSpan.format(Int64(service.config.drain)))])
        }
        let pending = try service.store.pendingCount(now: clock())
        log.info(
            "stopped", [("event", "stop"), ("pending_deliveries", String(pending.pending)), ("polls", String(polls))])
    }

    /// Swaps in reloaded rules, routes and notifiers; window state of unchanged rules carries over
    /// (state is kept by rule id): each source's engine takes its new rules at its next poll.
    /// Organizations added (sources_dir) start as at a first start; removed ones stop (a poll in
    /// flight ends first); the others keep their poll position and engine state.
    private func apply(_ fresh: ServiceParts, keys: [String: Secret]) {
        // The old lanes end their attempts in flight; the new ones take over the outbox.
        lanes.stop(drain: service.config.drain, finishDue: false)
        service = fresh
        for key in keys.values where !sourceSecrets.contains(where: { $0.value == key.value }) {
            sourceSecrets.append(key)
        }
        var redactor = fresh.redactor
        for secret in sourceSecrets { redactor.add(secret) }
        self.redactor = redactor
        log.redacting(redactor)
        var next: [SourceSlot] = []
        for config in fresh.config.sources {
            let running = shared.slot(config.name)
            do {
                let recipe = PollerRecipe(
                    config: config, key: keys[config.name]!, http: HTTPClientOptions(config: fresh.config),
                    pause: retryPause)
                if let running {
                    running.retune(recipe)
                    next.append(running)
                } else {
                    let poller = try recipe.make()
                    let loaded = try LoadedSourceState(config.name, store: fresh.store)
                    next.append(
                        SourceSlot(
                            PolledSource(
                                config: config, poller: poller, loaded: loaded,
                                ruleSet: fresh.ruleSet(for: config.name), options: options)))
                    log.info("organization added", [("event", "reload"), ("source", config.name)])
                }
            } catch {
                // A running organization goes on as it was; a new one waits for the next reload.
                log.error(
                    running == nil ? "organization not started" : "organization not reconfigured",
                    [("event", "reload"), ("source", config.name), ("error", "\(error)")])
                if let running { next.append(running) }
            }
        }
        let kept = Set(next.map(\.name))
        for name in sourceNames where !kept.contains(name) {
            log.info("organization removed", [("event", "reload"), ("source", name)])
        }
        sourceNames = next.map(\.name)
        shared.replace(slots: next)
        shared.update { $0.context.take(fresh, redactor: redactor) }
        cluster?.update(sources: sourceNames)
        attachDeliveryMetrics()
        claimDeliveries()
        do { try lanes.start() } catch { log.error("delivery lanes could not start", [("error", error.message)]) }
        metrics.reloaded(ok: true, at: clock())
        log.info(
            "reloaded",
            [
                ("event", "reload"), ("outcome", "ok"),
                ("rules", String(fresh.ruleSet.rules.count + fresh.ruleSet.correlations.count)),
                ("notifiers", String(fresh.clients.count)),
            ])
    }

    /// "Event from the future": an audit log does not date events ahead of the clock; one that
    /// does is a clock fault or tampering, and is processed but cannot move cursor or watermark.
    public static func futureAlert(_ source: String, events: [Event], now: Int64) -> Alert {
        let group = [GroupValue(field: "source", value: source)]
        let newest = events.map(\.effectiveAt).max() ?? now
        return Alert(
            id: AlertID.make(ruleID: "auditwatch_event_from_future", group: group, anchorEventID: events[0].id),
            ruleID: "auditwatch_event_from_future", ruleTitle: "Event from the future", level: .medium,
            tags: ["auditwatch.health"],
            group: group, count: events.count, firstAt: now, lastAt: now, eventIDs: events.prefix(20).map(\.id),
            summary:
                "\(events.count) event\(events.count == 1 ? "" : "s") of \(source) dated up to \(UTCTime.iso8601(newest)), "
                + "more than \(TimeSpan.format(EventTime.futureSkew)) ahead of this clock: processed, but they do not move the poll cursor",
            suppressed: 0, source: source)
    }

    /// "Audit stream unavailable": a silent watcher is the worst failure of a security tool.
    public static func unavailableAlert(_ source: String, since: Int64, now: Int64, reason: String) -> Alert {
        Alert(
            id: AlertID.make(
                ruleID: "auditwatch_source_unavailable", group: [GroupValue(field: "source", value: source)],
                anchorEventID: String(since)),
            ruleID: "auditwatch_source_unavailable", ruleTitle: "Audit stream unavailable", level: .high,
            tags: ["auditwatch.health"],
            group: [GroupValue(field: "source", value: source)], count: 0, firstAt: since, lastAt: now, eventIDs: [],
            summary:
                "The audit log of \(source) has been unavailable for \(TimeSpan.format(max(1, now - since))): \(reason)",
            suppressed: 0, source: source)
    }
}
