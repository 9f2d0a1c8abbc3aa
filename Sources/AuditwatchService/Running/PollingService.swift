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
/// Delivery runs beside polling, one lane per notifier (`DeliveryLanes`): a slow or hung target
/// never holds back the polls. SIGTERM/SIGINT end the round, send what is due until the drain
/// deadline (`delivery.drain`) and exit, leaving the rest in the outbox; SIGHUP reloads rules,
/// calendars, routes and notifiers, keeping the running ones when the new ones have errors.
///
/// Not Sendable: one thread owns it (the `BlockingLane` that `PollingLoop` runs it on, behind
/// a mutex); readiness is shared through `ServiceReadiness`.
public final class PollingService {
    struct Source {
        let config: SourceConfig
        let poller: AuditLogPoller
        var engine: DetectionEngine
        var state: PollerState
    }

    private var service: ServiceParts
    private var lanes: DeliveryLanes
    private var sources: [Source] = []
    private let clock: () -> Int64
    private let options: EngineOptions
    private let log: Logger
    private let metrics: ServiceMetrics
    private var redactor: Redactor
    /// The admin keys, kept in the redaction across reloads (a reload changes only notifiers' secrets).
    private var sourceSecrets: [Secret] = []
    /// Shared with the health server (`/readyz`).
    public let readiness = ServiceReadiness()
    /// Sources whose first successful poll is still to come (no saved state): that poll reads the
    /// `start` backlog, and its alerts are recorded in the state file but not sent, so a first
    /// start does not flood chat, unless `backfillNotify`.
    private var backlogSources: Set<String> = []
    /// Send the alerts of a new source's first poll too (`run --backfill-notify`).
    public var backfillNotify = false
    /// The delivery at the head of the due queue, and since when it has been there.
    private var queueHead: (delivery: String?, since: Int64) = (nil, 0)
    /// Engine limits already logged, per source: each is logged once, then only counted.
    private var limitsLogged: Set<String> = []
    /// Replicas (state in PostgreSQL): the keeper whose leases say which sources this one polls,
    /// each commit fenced by its token. Nil: one process polls every source.
    public var cluster: LeaseKeeper?
    /// The lease token each source's state was loaded under; a new one loads it again from the
    /// store (what the previous holder committed).
    private var loadedTokens: [String: Int64] = [:]

    public init(
        service: ServiceParts, options: EngineOptions, log: Logger,
        clock: @escaping () -> Int64 = { Int64(Date().timeIntervalSince1970) },
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
        for config in service.config.sources {
            switch SecretResolver().adminKey(of: config) {
            case .failure(let problem):
                problems.append(problem)
            case .success(let key):
                redactor.add(key)
                sourceSecrets.append(key)
                let (source, first) = try PollingService.makeSource(
                    config, key: key, service: service, options: options)
                if first { backlogSources.insert(config.name) }
                sources.append(source)
            }
        }
        guard problems.isEmpty else { throw ServiceSetupError(diagnostics: problems) }
        self.redactor = redactor
        log.redacting(redactor)
        attachDeliveryMetrics()
        metrics.loaded(at: clock())
    }

    /// A source's engine and poller state as the store has them (nothing saved: a new source,
    /// whose first poll reads the `start` backlog).
    private static func loadState(
        _ name: String, _ store: any StateStore, _ ruleSet: RuleSet, _ options: EngineOptions
    ) throws -> (engine: DetectionEngine, state: PollerState, fresh: Bool) {
        let engineState = try store.engineState(source: name) ?? EngineState()
        let stored = try store.sourceState(name)
        let saved = stored.flatMap { try? JSONDecoder().decode(PollerState.self, from: Data($0.utf8)) } ?? PollerState()
        return (DetectionEngine(ruleSet: ruleSet, options: options, state: engineState), saved, stored == nil)
    }

    /// A source's poller and its engine on the organization's rules, from its saved state; `first`
    /// when it has none (its first poll reads the `start` backlog).
    private static func makeSource(
        _ config: SourceConfig, key: Secret, service: ServiceParts, options: EngineOptions
    ) throws -> (source: Source, first: Bool) {
        let loaded = try loadState(config.name, service.store, service.ruleSet(for: config.name), options)
        let poller = try makePoller(config, key: key, service: service)
        return (Source(config: config, poller: poller, engine: loaded.engine, state: loaded.state), loaded.fresh)
    }

    private static func makePoller(_ config: SourceConfig, key: Secret, service: ServiceParts) throws -> AuditLogPoller
    {
        let client = AuditLogClient(
            baseURL: config.baseURL, adminKey: key.value,
            http: try HTTPClient(options: HTTPClientOptions(config: service.config)))
        return AuditLogPoller(
            client: client, options: AuditLogPoller.Options(source: config),
            sleep: { Thread.sleep(forTimeInterval: $0) })
    }

    /// Every series of these sources, notifiers and rules at zero; delivery outcomes counted.
    private func attachDeliveryMetrics() {
        let metrics = self.metrics, log = self.log
        let rules =
            service.ruleSet.rules.map { (id: $0.rule.id, level: $0.rule.level.rawValue) }
            + service.ruleSet.correlations.map { (id: $0.rule.id, level: $0.rule.level.rawValue) }
        metrics.prepare(
            sources: sources.map(\.config.name), notifiers: service.clients.keys.sorted(), rules: rules,
            deliveryTimeout: Double(service.config.timeout))
        lanes = service.makeLanes(log: { line in
            log.log(line.fields.contains { $0 == ("outcome", "sent") } ? .info : .warning, line.message, line.fields)
        }) { notifier, outcome, seconds in
            metrics.delivery(notifier: notifier, outcome: outcome, seconds: seconds)
        }
    }

    /// One round: every source polled once, its alerts committed and handed to the lanes.
    public func pollOnce() throws {
        var problems: [String] = []
        for index in sources.indices {
            // Replicas: only the sources this one holds, their state as the last holder committed it.
            let fence = cluster?.held.fence(for: sources[index].config.name)
            if cluster != nil {
                guard let fence else { continue }
                if loadedTokens[fence.source] != fence.token {
                    let loaded = try PollingService.loadState(
                        fence.source, service.store, service.ruleSet(for: fence.source), options)
                    sources[index].engine = loaded.engine
                    sources[index].state = loaded.state
                    if loaded.fresh { backlogSources.insert(fence.source) } else { backlogSources.remove(fence.source) }
                    loadedTokens[fence.source] = fence.token
                }
            }
            let leaseFields = fence.map { [("replica", $0.holder), ("token", String($0.token))] } ?? []
            let now = clock()
            var source = sources[index]
            let before = source.engine.matchCounts
            let evictionsBefore = source.engine.counters.evictions
            let limitsBefore = source.engine.limitHits
            let lateBefore = source.state.lateEvents
            let invalidBefore = source.state.invalidEvents
            var alerts: [Alert] = []
            var backlog = false
            switch source.poller.poll(&source.state, now: now) {
            case .success(let events):
                backlog = backlogSources.remove(source.config.name) != nil && !backfillNotify
                if let since = source.state.failingSince {
                    log.info(
                        "source recovered",
                        [("source", source.config.name), ("after", TimeSpan.format(max(1, now - since)))])
                    source.state.failingSince = nil
                    source.state.unavailableAlerted = false
                }
                source.engine.timeBound = EventTime.bound(now: now)
                for event in events { alerts += source.engine.process(event).map { $0.fromSource(source.config.name) } }
                // The poll has read the log up to now: matches older than now minus the lateness
                // are released in a quiet period too (an event the API shows even later is still
                // correlated, and counted as reorder_horizon).
                alerts += source.engine.advance(to: now).map { $0.fromSource(source.config.name) }
                metrics.polled(source: source.config.name, events: events.count, at: now)
                let future = events.filter { $0.effectiveAt > EventTime.bound(now: now) }
                if !future.isEmpty {
                    log.warning(
                        "events dated in the future",
                        [
                            ("source", source.config.name), ("count", String(future.count)),
                            ("first", future[0].id),
                        ])
                    alerts.append(PollingService.futureAlert(source.config.name, events: future, now: now))
                }
                metrics.lateEvents(source: source.config.name, source.state.lateEvents - lateBefore)
                if source.state.invalidEvents > invalidBefore {
                    metrics.parseErrors(source: source.config.name, source.state.invalidEvents - invalidBefore)
                    log.warning(
                        "unusable events skipped",
                        [("source", source.config.name), ("count", String(source.state.invalidEvents - invalidBefore))])
                }
                if let newest = source.engine.state.maxSeen {
                    metrics.pollLag(source: source.config.name, seconds: Double(now - newest))
                }
                log.log(
                    events.isEmpty ? .debug : .info, "polled",
                    [
                        ("event", "poll"), ("outcome", "ok"), ("source", source.config.name),
                        ("new_events", String(events.count)),
                    ] + leaseFields)
            case .failure(let failure):
                metrics.pollFailed(source: source.config.name)
                metrics.tally.pollError(
                    source: source.config.name, message: redactor.redact(failure.description), at: now)
                log.error(
                    "poll failed",
                    [
                        ("event", "poll"), ("outcome", "failed"), ("source", source.config.name),
                        ("error", failure.description),
                    ] + leaseFields)
                problems.append("source \(source.config.name): \(failure)")
                let since = source.state.failingSince ?? now
                source.state.failingSince = since
                if now - since >= source.config.unavailableAfter && !source.state.unavailableAlerted {
                    source.state.unavailableAlerted = true
                    alerts.append(
                        PollingService.unavailableAlert(
                            source.config.name, since: since, now: now, reason: redactor.redact(failure.description)))
                }
            }
            for (rule, (old, new)) in zip(source.engine.ruleSet.rules, zip(before, source.engine.matchCounts))
            where new > old {
                metrics.ruleMatches(rule: rule.rule.id, new - old)
            }
            metrics.evictions(source.engine.counters.evictions - evictionsBefore)
            for (before, after) in zip(limitsBefore, source.engine.limitHits) where after.count > before.count {
                metrics.limitReached(limit: after.limit, after.count - before.count)
                if limitsLogged.insert(source.config.name + "/" + after.limit).inserted {
                    log.warning(
                        "engine limit reached; further hits are only counted (auditwatch_limit_reached_total)",
                        [
                            ("source", source.config.name), ("limit", after.limit),
                            ("count", String(after.count - before.count)),
                        ])
                }
            }
            for (id, state) in source.engine.state.correlations {
                metrics.correlationGroups(rule: id, state.groups.count + state.knownValues.count)
            }
            let stateJSON = String(decoding: try JSONEncoder().encode(source.state), as: UTF8.self)
            let router = service.router(for: source.config.name)
            let sinksFor: (Alert) -> [String] = { alert in backlog ? [] : router.notifiers(for: alert) }
            let silences = try SilenceCheck(store: service.store, now: now)
            let silencedBy = silences.silencedBy
            // The log is held from the commit until the alert lines are out: a lane that sends one
            // of these alerts at once logs its delivery after the alert's line.
            let fresh: [Alert]
            do {
                fresh = try log.holding { log in
                    let fresh = try service.store.checkpoint(
                        state: source.engine.state, position: nil, alerts: alerts, engineSource: source.config.name,
                        sourceState: stateJSON, sinksFor: sinksFor, silenced: silences.muted(alerts), fence: fence)
                    log.log(
                        alerts.isEmpty ? .debug : .info, "committed",
                        [
                            ("event", "commit"), ("outcome", "ok"), ("source", source.config.name),
                            ("alerts", String(fresh.count)),
                        ]
                            + leaseFields)
                    for alert in fresh {
                        metrics.alert(rule: alert.ruleID, level: alert.level.rawValue)
                        let silence = silencedBy(alert)
                        if silence != nil { metrics.silenced(rule: alert.ruleID) }
                        log.info(
                            silence == nil ? "alert raised" : "alert raised, silenced",
                            [
                                ("event", "alert"), ("id", alert.id), ("rule", alert.ruleID),
                                ("alert_level", alert.level.rawValue), ("source", alert.source ?? ""),
                                ("notifiers", silence == nil ? sinksFor(alert).joined(separator: ",") : ""),
                            ] + (silence.map { [("silence", $0)] } ?? []) + [("summary", alert.summary)])
                    }
                    return fresh
                }
            } catch let error as StateError where error.lostLease != nil {
                // Another replica holds the source now: nothing was written; it is dropped until taken again.
                log.warning(
                    "commit refused: lease lost",
                    [("event", "commit"), ("outcome", "lease_lost"), ("source", source.config.name)] + leaseFields)
                if let lost = error.lostLease { cluster?.commitRefused(lost) }
                loadedTokens[source.config.name] = nil
                continue
            }
            if backlog && !fresh.isEmpty {
                log.warning(
                    "first poll: alerts from the start backlog recorded, not sent",
                    [
                        ("source", source.config.name), ("alerts", String(fresh.count)),
                        (
                            "hint",
                            "auditwatch alerts list shows them; run --backfill-notify sends a new source's backlog"
                        ),
                    ])
            }
            sources[index] = source
            if !fresh.isEmpty { lanes.wake() }
        }
        metrics.outbox(
            pending: try service.store.pendingCount(now: clock()).pending, deadLetters: try service.store.failedCount())
        // The outbox is stuck when the same delivery has headed the due queue for five minutes.
        let head = try service.store.oldestDue(now: clock())
        if head != queueHead.delivery { queueHead = (head, clock()) }
        if let head, clock() - queueHead.since > 300 {
            problems.append("outbox: delivery \(head) due and unsent since \(UTCTime.iso8601(queueHead.since))")
        }
        readiness.set(ready: problems.isEmpty, reason: problems.isEmpty ? "ready" : problems.joined(separator: "; "))
    }

    /// The shortest poll interval of the sources: the loop polls every source at that pace.
    public var interval: Int64 { sources.map(\.config.pollInterval).min() ?? 60 }

    /// Logs the start and starts the delivery lanes.
    public func start() throws {
        log.info(
            "started",
            [
                ("event", "start"), ("sources", sources.map(\.config.name).joined(separator: ",")),
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
    /// running rules, routes and notifiers in force.
    public func reloaded(_ fresh: ServiceParts?) {
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
            if problems.isEmpty { return apply(fresh, keys: keys) }
            for problem in problems { log.error("reload: \(problem)", [("event", "reload")]) }
        }
        metrics.reloaded(ok: false, at: clock())
        log.error(
            "reload failed; the running rules, routes and notifiers stay in force",
            [("event", "reload"), ("outcome", "failed")])
    }

    /// Ends the service after `rounds` polls. `once` then sends everything due, waiting up to
    /// `waitDeliveries` seconds for retries (until `interrupted`); a stop sends what is due for at
    /// most `delivery.drain`.
    public func finish(once: Bool, waitDeliveries: Double, rounds: Int, interrupted: () -> Bool) throws {
        if once && !interrupted() {
            lanes.finish(waitRetries: waitDeliveries, drain: service.config.drain, interrupted: interrupted)
        } else if !lanes.stop(drain: service.config.drain) {
            log.warning(
                "drain deadline passed; unsent deliveries stay in the outbox",
                [("drain", TimeSpan.format(Int64(service.config.drain)))])
        }
        let pending = try service.store.pendingCount(now: clock())
        log.info(
            "stopped", [("event", "stop"), ("pending_deliveries", String(pending.pending)), ("polls", String(rounds))])
    }

    /// Swaps in reloaded rules, routes and notifiers; window state of unchanged rules carries over
    /// (state is kept by rule id).
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
        // Organizations added (sources_dir) start as at a first start; removed ones stop; the
        // others keep their poll position and engine state (by rule id) on their new rule set.
        let running = Dictionary(sources.map { ($0.config.name, $0) }, uniquingKeysWith: { first, _ in first })
        var next: [Source] = []
        for config in fresh.config.sources {
            do {
                if let old = running[config.name] {
                    next.append(
                        Source(
                            config: config,
                            poller: try PollingService.makePoller(config, key: keys[config.name]!, service: fresh),
                            engine: DetectionEngine(
                                ruleSet: fresh.ruleSet(for: config.name), options: options, state: old.engine.state),
                            state: old.state))
                } else {
                    let (source, first) = try PollingService.makeSource(
                        config, key: keys[config.name]!, service: fresh, options: options)
                    if first { backlogSources.insert(config.name) }
                    next.append(source)
                    log.info("organization added", [("event", "reload"), ("source", config.name)])
                }
            } catch {
                // A running organization goes on as it was; a new one waits for the next reload.
                log.error(
                    running[config.name] == nil ? "organization not started" : "organization not reconfigured",
                    [("event", "reload"), ("source", config.name), ("error", "\(error)")])
                if let old = running[config.name] { next.append(old) }
            }
        }
        let kept = Set(next.map(\.config.name))
        for source in sources where !kept.contains(source.config.name) {
            backlogSources.remove(source.config.name)
            log.info("organization removed", [("event", "reload"), ("source", source.config.name)])
        }
        sources = next
        // Replicas claim the new organizations and release the removed ones from the next round.
        cluster?.update(sources: next.map(\.config.name))
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
