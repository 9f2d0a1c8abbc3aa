import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The service's metrics, through swift-metrics with swift-prometheus as the backend, exposed
/// in the Prometheus text format on `/metrics`.
public final class ServiceMetrics: @unchecked Sendable {
    public let registry: PrometheusCollectorRegistry

    private init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// Bootstraps swift-metrics with a Prometheus registry (once per process).
    public static let shared: ServiceMetrics = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return ServiceMetrics(registry: registry)
    }()

    public func eventsRead(source: String, _ count: Int) {
        Counter(label: "auditwatch_events_read_total", dimensions: [("source", source)]).increment(by: count)
    }
    public func parseErrors(source: String, _ count: Int) {
        Counter(label: "auditwatch_parse_errors_total", dimensions: [("source", source)]).increment(by: count)
    }
    public func lateEvents(source: String, _ count: Int) {
        Counter(label: "auditwatch_late_events_total", dimensions: [("source", source)]).increment(by: count)
    }
    public func ruleMatches(rule: String, _ count: Int) {
        Counter(label: "auditwatch_rule_matches_total", dimensions: [("rule", rule)]).increment(by: count)
    }
    public func alert(rule: String, level: String) {
        Counter(label: "auditwatch_alerts_total", dimensions: [("rule", rule), ("level", level)]).increment()
    }
    public func delivery(notifier: String, outcome: String, seconds: Double) {
        Counter(label: "auditwatch_deliveries_total", dimensions: [("notifier", notifier), ("outcome", outcome)]).increment()
        Timer(label: "auditwatch_delivery_latency_seconds", dimensions: [("notifier", notifier)]).recordSeconds(seconds)
    }
    public func outbox(pending: Int, deadLetters: Int) {
        Gauge(label: "auditwatch_delivery_queue_depth").record(pending)
        Gauge(label: "auditwatch_dead_letters").record(deadLetters)
    }
    public func pollLag(source: String, seconds: Double) {
        Gauge(label: "auditwatch_poll_lag_seconds", dimensions: [("source", source)]).record(seconds)
    }
    public func pollFailures(source: String) {
        Counter(label: "auditwatch_poll_failures_total", dimensions: [("source", source)]).increment()
    }
    public func correlationGroups(rule: String, _ count: Int) {
        Gauge(label: "auditwatch_correlation_groups", dimensions: [("rule", rule)]).record(count)
    }
    public func evictions(_ count: Int) {
        Counter(label: "auditwatch_correlation_evictions_total").increment(by: count)
    }
    public func reloads(outcome: String) {
        Counter(label: "auditwatch_reloads_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// The Prometheus text exposition.
    public func exposition() -> String { registry.emitToString() }
}
