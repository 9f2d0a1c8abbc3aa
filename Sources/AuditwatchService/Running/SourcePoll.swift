import AuditwatchConfig
import AuditwatchCore
import AuditwatchSources
import Foundation
import Logging

/// How one poll went.
struct SourcePollResult: Sendable {
    /// Why the source is failing (for `/readyz`), nil when the poll worked.
    var problem: String?
    /// Alerts the commit stored for the first time (the delivery lanes are woken for them).
    var fresh: Int
}

/// What a poll has to commit: the source's engine and poller state after it, and its alerts.
struct PolledCommit: Sendable {
    var source: String
    var engineState: EngineState
    var pollerState: PollerState
    var alerts: [Alert]
    /// The first poll's backlog: recorded, not sent.
    var quiet: Bool
    var problem: String?
    var now: Int64
    /// Replicas: the lease the commit is made under, and its fields for the log lines.
    var leaseFields: [(String, String)] = []
}

extension PolledSource {
    /// One poll: what is new in the audit log through the engine; engine state, poller state and
    /// alerts are then committed together (`PolledCommit.commit`). A source that keeps failing
    /// raises its own alert.
    mutating func poll(_ context: PollContext, fence: LeaseFence? = nil) -> PolledCommit {
        let log = context.log, metrics = context.metrics, name = config.name
        let leaseFields = fence.map { [("replica", $0.holder), ("token", String($0.token))] } ?? []
        if generation != context.generation {
            engine = DetectionEngine(
                ruleSet: context.ruleSet(for: config.name), options: context.options, state: engine.state)
            generation = context.generation
        }
        let now = context.clock()
        let before = engine.matchCounts
        let evictionsBefore = engine.counters.evictions
        let limitsBefore = engine.limitHits
        let lateBefore = state.lateEvents
        let invalidBefore = state.invalidEvents
        var alerts: [Alert] = []
        var quiet = false
        var problem: String?
        switch poller.poll(&state, now: now) {
        case .success(let events):
            quiet = backlog && !context.backfillNotify
            backlog = false
            if let since = state.failingSince {
                log.info("source recovered", [("source", name), ("after", TimeSpan.format(max(1, now - since)))])
                state.failingSince = nil
                state.unavailableAlerted = false
            }
            engine.timeBound = EventTime.bound(now: now)
            for event in events { alerts += engine.process(event).map { $0.fromSource(name) } }
            // The poll has read the log up to now: matches older than now minus the lateness
            // are released in a quiet period too (an event the API shows even later is still
            // correlated, and counted as reorder_horizon).
            alerts += engine.advance(to: now).map { $0.fromSource(name) }
            metrics.polled(source: name, events: events.count, at: now)
            let future = events.filter { $0.effectiveAt > EventTime.bound(now: now) }
            if !future.isEmpty {
                log.warning(
                    "events dated in the future",
                    [("source", name), ("count", String(future.count)), ("first", future[0].id)])
                alerts.append(PollingService.futureAlert(name, events: future, now: now))
            }
            metrics.lateEvents(source: name, state.lateEvents - lateBefore)
            if state.invalidEvents > invalidBefore {
                metrics.parseErrors(source: name, state.invalidEvents - invalidBefore)
                log.warning(
                    "unusable events skipped",
                    [("source", name), ("count", String(state.invalidEvents - invalidBefore))])
            }
            log.log(
                events.isEmpty ? .debug : .info, "polled",
                [("event", "poll"), ("outcome", "ok"), ("source", name), ("new_events", String(events.count))]
                    + leaseFields)
        case .failure(.stopped(let message)):
            // Cut short by shutdown: the source did not fail, its failure bookkeeping stays as it was.
            log.info("poll stopped", [("event", "poll"), ("outcome", "stopped"), ("source", name), ("why", message)])
        case .failure(let failure):
            metrics.pollFailed(source: name)
            metrics.tally.pollError(source: name, message: context.redactor.redact(failure.description), at: now)
            log.error(
                "poll failed",
                [("event", "poll"), ("outcome", "failed"), ("source", name), ("error", failure.description)]
                    + leaseFields)
            problem = "source \(name): \(failure)"
            let since = state.failingSince ?? now
            state.failingSince = since
            if now - since >= config.unavailableAfter && !state.unavailableAlerted {
                state.unavailableAlerted = true
                alerts.append(
                    PollingService.unavailableAlert(
                        name, since: since, now: now, reason: context.redactor.redact(failure.description)))
            }
        }
        // The engine's saved form is assembled from its compact tables: read it once per poll.
        let saved = engine.state
        if problem == nil, let newest = saved.maxSeen { metrics.pollLag(source: name, seconds: Double(now - newest)) }
        count(context, matchesBefore: before, evictionsBefore: evictionsBefore, limitsBefore: limitsBefore)
        for (id, correlation) in saved.correlations {
            metrics.correlationGroups(rule: id, correlation.groups.count + correlation.knownValues.count)
        }
        return PolledCommit(
            source: name, engineState: saved, pollerState: state, alerts: alerts, quiet: quiet, problem: problem,
            now: now, leaseFields: leaseFields)
    }

    /// Rule matches, evictions and engine limits of this poll, in the metrics.
    private mutating func count(
        _ context: PollContext, matchesBefore: [Int], evictionsBefore: Int, limitsBefore: [(limit: String, count: Int)]
    ) {
        let metrics = context.metrics
        for (rule, (old, new)) in zip(engine.ruleSet.rules, zip(matchesBefore, engine.matchCounts)) where new > old {
            metrics.ruleMatches(rule: rule.rule.id, new - old)
        }
        metrics.evictions(engine.counters.evictions - evictionsBefore)
        for (before, after) in zip(limitsBefore, engine.limitHits) where after.count > before.count {
            metrics.limitReached(limit: after.limit, after.count - before.count)
            if limitsLogged.insert(after.limit).inserted {
                context.log.warning(
                    "engine limit reached; further hits are only counted (auditwatch_limit_reached_total)",
                    [("source", config.name), ("limit", after.limit), ("count", String(after.count - before.count))])
            }
        }
    }

}

extension PolledCommit {
    /// Engine state, poller state and alerts in one transaction on `store`; the alert lines are
    /// logged with the log held from the commit on, so a lane that sends one of these alerts at
    /// once logs its delivery after the alert's line. Returns how many alerts were new.
    func commit(_ context: PollContext, store: any StateStore, fence: LeaseFence? = nil) throws -> Int {
        let stateJSON = String(decoding: try JSONEncoder().encode(pollerState), as: UTF8.self)
        let router = context.router(for: source), metrics = context.metrics, quiet = self.quiet
        let sinksFor: (Alert) -> [String] = { alert in quiet ? [] : router.notifiers(for: alert) }
        let silences = try SilenceCheck(store: store, now: now)
        let silencedBy = silences.silencedBy
        let fresh = try context.log.holding { log in
            let fresh = try store.checkpoint(
                state: engineState, position: nil, alerts: alerts, engineSource: source,
                sourceState: stateJSON, sinksFor: sinksFor, silenced: silences.muted(alerts), fence: fence)
            log.log(
                alerts.isEmpty ? .debug : .info, "committed",
                [("event", "commit"), ("outcome", "ok"), ("source", source), ("alerts", String(fresh.count))]
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
        if quiet && !fresh.isEmpty {
            context.log.warning(
                "first poll: alerts from the start backlog recorded, not sent",
                [
                    ("source", source), ("alerts", String(fresh.count)),
                    ("hint", "auditwatch alerts list shows them; run --backfill-notify sends a new source's backlog"),
                ])
        }
        return fresh.count
    }
}
