import Foundation
public import Prometheus
import Synchronization

/// The service's metrics, registered straight on a swift-prometheus registry (the swift-metrics
/// facade cannot carry help text, and `promtool check metrics` wants `# HELP` on every family),
/// exposed in the Prometheus text format on `/metrics`.
///
/// Every series an operator alerts on exists from the start at zero (`prepare`): a rate over a
/// counter that appears only with its first failure hides that first failure.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Fixed at the first `prepare` (from the delivery timeout), then the same for every notifier.
    private let latencyBuckets = Mutex<[Double]?>(nil)
    private let process: ProcessMetrics
    /// What the console reads back (sources, matches, rules in force).
    public let tally = ServiceTally()

    /// A fresh registry with `auditwatch_build_info` and the process metrics.
    public init(version: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        process = ProcessMetrics(registry: registry)
        gauge(.buildInfo, [("version", version), ("swift", ServiceMetrics.swiftVersion)]).set(to: 1)
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #elseif compiler(>=6.1)
            "6.1"
        #else
            "6.0"
        #endif
    }

    /// Creates every series for these sources, notifiers and rules at zero (again on reload, for
    /// what the reload added); fixes the latency buckets from the delivery timeout on first call.
    public func prepare(
        sources: [String], notifiers: [String], rules: [(id: String, level: String)], deliveryTimeout: Double
    ) {
        latencyBuckets.withLock { $0 = $0 ?? ServiceMetrics.buckets(timeout: deliveryTimeout) }
        for source in sources {
            let labels = [("source", source)]
            for family in [Family.polls, .pollErrors, .eventsRead, .parseErrors, .lateEvents] {
                _ = counter(family, labels)
            }
            _ = gauge(.lastSuccessfulPoll, labels)
            // The service's own "audit stream unavailable" alert, per source.
            _ = counter(.alerts, [("rule", "auditwatch_source_unavailable"), ("level", "high")])
        }
        for notifier in notifiers {
            for outcome in DeliveryOutcomeName.allCases {
                _ = counter(.deliveries, [("notifier", notifier), ("outcome", outcome.rawValue)])
            }
            _ = histogram(notifier)
        }
        for rule in rules {
            _ = counter(.alerts, [("rule", rule.id), ("level", rule.level)])
            _ = counter(.ruleMatches, [("rule", rule.id)])
            _ = counter(.alertsSilenced, [("rule", rule.id)])
        }
        tally.loaded(rules: rules)
        for outcome in ["ok", "failed"] { _ = counter(.reloads, [("outcome", outcome)]) }
        _ = counter(.evictions, [])
        for limit in ServiceMetrics.engineLimits { _ = counter(.limitReached, [("limit", limit)]) }
        _ = gauge(.outboxDepth, [])
        _ = gauge(.deadLetters, [])
        _ = gauge(.pollsInFlight, [])
        _ = queueDelayHistogram()
    }

    /// Buckets from 50 ms up to twice the delivery timeout, so a request that ran into the
    /// timeout lands in its own bucket rather than in +Inf.
    static func buckets(timeout: Double) -> [Double] {
        let base: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]
        let limit = max(timeout, 1) * 2
        return Array(Set(base.filter { $0 < limit } + [max(timeout, 1), max(timeout, 1) * 1.5, limit])).sorted()
    }

    // MARK: What the service reports

    public func polled(source: String, events: Int, at time: Int64) {
        counter(.polls, [("source", source)]).increment()
        counter(.eventsRead, [("source", source)]).increment(by: Int64(events))
        gauge(.lastSuccessfulPoll, [("source", source)]).set(to: Double(time))
        tally.polled(source: source, at: time)
    }
    public func pollFailed(source: String) {
        counter(.polls, [("source", source)]).increment()
        counter(.pollErrors, [("source", source)]).increment()
        tally.pollFailed(source: source)
    }
    public func parseErrors(source: String, _ count: Int) {
        counter(.parseErrors, [("source", source)]).increment(by: Int64(count))
    }
    public func lateEvents(source: String, _ count: Int) {
        counter(.lateEvents, [("source", source)]).increment(by: Int64(count))
    }
    public func pollLag(source: String, seconds: Double) {
        gauge(.pollLag, [("source", source)]).set(to: seconds)
        tally.lag(source: source, seconds: seconds)
    }
    public func ruleMatches(rule: String, _ count: Int) {
        counter(.ruleMatches, [("rule", rule)]).increment(by: Int64(count))
        tally.matched(rule: rule, count)
    }
    public func alert(rule: String, level: String) {
        counter(.alerts, [("rule", rule), ("level", level)]).increment()
    }
    /// An alert a silence muted (recorded, not delivered).
    public func silenced(rule: String) {
        counter(.alertsSilenced, [("rule", rule)]).increment()
    }
    /// One delivery attempt's final word; `seconds` is nil when no request was made (the
    /// notifier is gone or disabled).
    public func delivery(notifier: String, outcome: String, seconds: Double?) {
        counter(.deliveries, [("notifier", notifier), ("outcome", outcome)]).increment()
        if let seconds { histogram(notifier).record(seconds) }
    }
    /// Polls running now.
    public func pollsInFlight(_ count: Int) {
        gauge(.pollsInFlight, []).set(to: Double(count))
    }
    /// A poll started `queueDelay` seconds after its source fell due (waiting for a free slot).
    public func pollStarted(queueDelay: Double) {
        queueDelayHistogram().record(max(0, queueDelay))
    }
    public func outbox(pending: Int, deadLetters: Int) {
        gauge(.outboxDepth, []).set(to: Double(pending))
        gauge(.deadLetters, []).set(to: Double(deadLetters))
    }
    public func correlationGroups(rule: String, _ count: Int) {
        gauge(.correlationGroups, [("rule", rule)]).set(to: Double(count))
    }
    public func evictions(_ count: Int) {
        counter(.evictions, []).increment(by: Int64(count))
    }
    /// The engine limits `DetectionEngine.limitHits` names (README, Limits).
    static let engineLimits = ["correlation_groups", "group_entries", "new_value_values", "reorder_horizon"]
    /// An engine limit was reached `count` times.
    public func limitReached(limit: String, _ count: Int) {
        counter(.limitReached, [("limit", limit)]).increment(by: Int64(count))
    }
    /// A reload (SIGHUP) and its outcome; a failed one leaves the last success time alone.
    public func reloaded(ok: Bool, at time: Int64) {
        counter(.reloads, [("outcome", ok ? "ok" : "failed")]).increment()
        gauge(.lastReloadSuccessful, []).set(to: ok ? 1 : 0)
        if ok { gauge(.lastReloadTime, []).set(to: Double(time)) }
    }
    /// The start-up load: the config in force from then on (not counted as a reload).
    public func loaded(at time: Int64) {
        gauge(.lastReloadSuccessful, []).set(to: 1)
        gauge(.lastReloadTime, []).set(to: Double(time))
    }

    // MARK: Replicas (state in PostgreSQL, `LeaseKeeper`)

    /// The cluster series of `replica` at zero (a replica that never lost a lease shows 0, not nothing).
    public func prepareCluster(replica: String) {
        let labels = [("replica", replica)]
        _ = gauge(.organizationsHeld, labels)
        for family in [Family.leaseRenewals, .leaseLosses, .commitConflicts] { _ = counter(family, labels) }
    }
    public func organizationsHeld(replica: String, _ count: Int) {
        gauge(.organizationsHeld, [("replica", replica)]).set(to: Double(count))
    }
    public func leaseRenewals(replica: String, _ count: Int) {
        counter(.leaseRenewals, [("replica", replica)]).increment(by: Int64(count))
    }
    public func leaseLost(replica: String) {
        counter(.leaseLosses, [("replica", replica)]).increment()
    }
    /// A commit the store refused because its lease was no longer this replica's.
    public func commitConflict(replica: String) {
        counter(.commitConflicts, [("replica", replica)]).increment()
    }

    /// The Prometheus text exposition (process metrics read now).
    public func exposition() -> String {
        process.update()
        return registry.emitToString()
    }

    // MARK: Families

    private func counter(_ family: Family, _ labels: [(String, String)]) -> Prometheus.Counter {
        registry.makeCounter(descriptor: .named(family.name, help: family.help), labels: labels)
    }
    private func gauge(_ family: Family, _ labels: [(String, String)]) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: .named(family.name, help: family.help), labels: labels)
    }
    private func histogram(_ notifier: String) -> ValueHistogram {
        let buckets = latencyBuckets.withLock { buckets in
            let fixed = buckets ?? ServiceMetrics.buckets(timeout: 30)
            buckets = fixed
            return fixed
        }
        return registry.makeValueHistogram(
            descriptor: .named(Family.deliveryLatency.name, help: Family.deliveryLatency.help),
            labels: [("notifier", notifier)], buckets: buckets)
    }

    /// Whole seconds (the scheduler's clock), from on time to ten minutes late.
    static let queueDelayBuckets: [Double] = [0, 1, 2, 5, 10, 30, 60, 120, 300, 600]

    private func queueDelayHistogram() -> ValueHistogram {
        registry.makeValueHistogram(
            descriptor: .named(Family.pollQueueDelay.name, help: Family.pollQueueDelay.help),
            buckets: ServiceMetrics.queueDelayBuckets)
    }

    /// The outcome label values of `auditwatch_deliveries_total`.
    public enum DeliveryOutcomeName: String, CaseIterable, Sendable {
        /// Delivered.
        case sent
        /// Failed this time; another attempt is scheduled.
        case retry
        /// Given up (permanent error, retry budget spent, notifier gone or disabled): a dead letter.
        case failed
    }

    /// Every family the service exposes, with its type and help text (also the README's table).
    public enum Family: String, CaseIterable, Sendable {
        case buildInfo, polls, pollErrors, lastSuccessfulPoll, eventsRead, parseErrors, lateEvents, pollLag
        case ruleMatches, alerts, alertsSilenced, deliveries, deliveryLatency, outboxDepth, deadLetters
        case correlationGroups, evictions, reloads, lastReloadSuccessful, lastReloadTime, limitReached
        case pollsInFlight, pollQueueDelay
        case organizationsHeld, leaseRenewals, leaseLosses, commitConflicts

        public var name: String {
            switch self {
            case .buildInfo: "auditwatch_build_info"
            case .polls: "auditwatch_polls_total"
            case .pollErrors: "auditwatch_poll_errors_total"
            case .lastSuccessfulPoll: "auditwatch_last_successful_poll_timestamp_seconds"
            case .eventsRead: "auditwatch_events_read_total"
            case .parseErrors: "auditwatch_parse_errors_total"
            case .lateEvents: "auditwatch_late_events_total"
            case .pollLag: "auditwatch_poll_lag_seconds"
            case .ruleMatches: "auditwatch_rule_matches_total"
            case .alerts: "auditwatch_alerts_total"
            case .alertsSilenced: "auditwatch_alerts_silenced_total"
            case .deliveries: "auditwatch_deliveries_total"
            case .deliveryLatency: "auditwatch_delivery_latency_seconds"
            case .outboxDepth: "auditwatch_outbox_depth"
            case .deadLetters: "auditwatch_dead_letters"
            case .correlationGroups: "auditwatch_correlation_groups"
            case .evictions: "auditwatch_correlation_evictions_total"
            case .limitReached: "auditwatch_limit_reached_total"
            case .reloads: "auditwatch_reloads_total"
            case .lastReloadSuccessful: "auditwatch_config_last_reload_successful"
            case .lastReloadTime: "auditwatch_config_last_reload_success_timestamp_seconds"
            case .pollsInFlight: "auditwatch_polls_in_flight"
            case .pollQueueDelay: "auditwatch_poll_queue_delay_seconds"
            case .organizationsHeld: "auditwatch_cluster_organizations_held"
            case .leaseRenewals: "auditwatch_lease_renewals_total"
            case .leaseLosses: "auditwatch_lease_losses_total"
            case .commitConflicts: "auditwatch_commit_conflicts_total"
            }
        }

        public var help: String {
            switch self {
            case .buildInfo: "The running auditwatch version and Swift toolchain; always 1."
            case .polls: "Audit-log polls per source, successful or not."
            case .pollErrors: "Audit-log polls per source that failed."
            case .lastSuccessfulPoll: "Unix time of the last successful poll per source."
            case .eventsRead: "Audit-log events read per source."
            case .parseErrors: "Events per source skipped as unusable (no id, type or effective_at)."
            case .lateEvents: "Events per source that arrived too late for their correlation windows."
            case .pollLag: "Seconds between the last poll and the newest event seen, per source."
            case .ruleMatches: "Events each rule matched (before correlation and suppression)."
            case .alerts: "Alerts raised, by rule and level."
            case .alertsSilenced: "Alerts a silence muted (recorded with status silenced, not delivered), by rule."
            case .deliveries: "Delivery attempts by notifier and outcome (sent, retry, failed = dead-lettered)."
            case .deliveryLatency: "Seconds one delivery request took, per notifier."
            case .outboxDepth: "Deliveries waiting in the outbox (due now or scheduled for a retry)."
            case .deadLetters: "Deliveries given up on (see `auditwatch alerts list --status failed`)."
            case .correlationGroups: "Live groups per correlation rule."
            case .evictions: "Correlation groups dropped by the per-rule cap."
            case .limitReached: "Times each engine limit was reached (README, Limits), by limit."
            case .reloads: "Reloads (SIGHUP) by outcome."
            case .lastReloadSuccessful: "Whether the last load or reload of the config succeeded (1) or not (0)."
            case .lastReloadTime: "Unix time of the last successful load or reload of the config."
            case .pollsInFlight: "Audit-log polls running now (at most polling.concurrency)."
            case .pollQueueDelay: "Seconds a poll waited for a free slot after its source fell due."
            case .organizationsHeld: "Organizations (sources) whose lease this replica holds."
            case .leaseRenewals: "Leases this replica renewed."
            case .leaseLosses: "Leases this replica lost (expired unrenewed, or taken by another replica)."
            case .commitConflicts: "Commits the store refused because the replica's lease was no longer its own."
            }
        }

        public var type: String {
            switch self {
            case .buildInfo, .lastSuccessfulPoll, .pollLag, .outboxDepth, .deadLetters, .correlationGroups,
                .lastReloadSuccessful, .lastReloadTime, .pollsInFlight, .organizationsHeld:
                "gauge"
            case .deliveryLatency, .pollQueueDelay: "histogram"
            default: "counter"
            }
        }
    }
}

extension MetricNameDescriptor {
    /// A descriptor for a name written out whole, with its help text.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
