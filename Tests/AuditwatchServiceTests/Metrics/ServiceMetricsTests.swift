import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchService

@Suite("Service metrics")
struct ServiceMetricsTests {
    /// As the service sets them up at start: series prepared, the start-up load recorded.
    private func prepared() -> ServiceMetrics {
        let metrics = ServiceMetrics(version: "9.9.9")
        metrics.prepare(
            sources: ["acme"], notifiers: ["slack", "siem"], rules: [(id: "brute_force_user", level: "high")],
            deliveryTimeout: 30)
        metrics.loaded(at: 1_700_000_000)
        metrics.prepareCluster(replica: "r1")
        return metrics
    }

    @Test("promtool check metrics accepts the exposition, before and after traffic")
    func promtoolClean() throws {
        let metrics = prepared()
        for text in [
            metrics.exposition(),
            { () -> String in
                metrics.polled(source: "acme", events: 5, at: 1_700_000_000)
                metrics.pollFailed(source: "acme")
                metrics.alert(rule: "brute_force_user", level: "high")
                metrics.delivery(notifier: "slack", outcome: "sent", seconds: 0.2)
                metrics.delivery(notifier: "siem", outcome: "failed", seconds: 31)
                metrics.outbox(pending: 3, deadLetters: 1)
                metrics.correlationGroups(rule: "brute_force_user", 4)
                metrics.reloaded(ok: false, at: 1_700_000_100)
                metrics.organizationsHeld(replica: "r1", 17)
                metrics.leaseRenewals(replica: "r1", 17)
                metrics.leaseLost(replica: "r1")
                metrics.commitConflict(replica: "r1")
                return metrics.exposition()
            }(),
        ] {
            let checked = try ExternalTool.run("promtool", ["check", "metrics"], input: text)
            #expect(checked.status == 0, "promtool: \(checked.stdout)\(checked.stderr)\n\(text)")
            #expect(
                checked.stdout.isEmpty && checked.stderr.isEmpty, "no lint finding: \(checked.stdout)\(checked.stderr)")
        }
    }

    @Test("every family has HELP and TYPE; what an operator alerts on exists at zero before anything happened")
    func seriesStartAtZero() {
        let text = prepared().exposition()
        for family in ServiceMetrics.Family.allCases where family != .pollLag && family != .correlationGroups {
            #expect(text.contains("# HELP \(family.name) "), "\(family.name) has help")
            #expect(text.contains("# TYPE \(family.name) \(family.type)"), "\(family.name) is a \(family.type)")
        }
        for series in [
            #"auditwatch_polls_total{source="acme"} 0"#, #"auditwatch_poll_errors_total{source="acme"} 0"#,
            #"auditwatch_events_read_total{source="acme"} 0"#,
            #"auditwatch_last_successful_poll_timestamp_seconds{source="acme"} 0"#,
            #"auditwatch_alerts_total{rule="brute_force_user",level="high"} 0"#,
            #"auditwatch_alerts_total{rule="auditwatch_source_unavailable",level="high"} 0"#,
            #"auditwatch_deliveries_total{notifier="slack",outcome="sent"} 0"#,
            #"auditwatch_deliveries_total{notifier="slack",outcome="retry"} 0"#,
            #"auditwatch_deliveries_total{notifier="siem",outcome="failed"} 0"#,
            #"auditwatch_delivery_latency_seconds_count{notifier="slack"} 0"#,
            #"auditwatch_reloads_total{outcome="failed"} 0"#, "auditwatch_outbox_depth 0", "auditwatch_dead_letters 0",
            #"auditwatch_build_info{version="9.9.9",swift=""#,
            #"auditwatch_cluster_organizations_held{replica="r1"} 0"#,
            #"auditwatch_lease_renewals_total{replica="r1"} 0"#, #"auditwatch_lease_losses_total{replica="r1"} 0"#,
            #"auditwatch_commit_conflicts_total{replica="r1"} 0"#,
        ] {
            #expect(text.contains(series), "\(series) in:\n\(text)")
        }
        for family in [
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
            "process_start_time_seconds",
        ] {
            #expect(text.contains("# TYPE \(family) "), "\(family)")
        }
        #expect(!text.contains("process_resident_memory_bytes 0\n"), "memory is read from /proc")
    }

    @Test("latency buckets reach past the delivery timeout")
    func bucketsPastTimeout() {
        #expect(ServiceMetrics.buckets(timeout: 30).suffix(3) == [30, 45, 60])
        #expect(ServiceMetrics.buckets(timeout: 5).contains(5) && ServiceMetrics.buckets(timeout: 5).last == 10)
        let text = prepared().exposition()
        #expect(
            text.contains(#"auditwatch_delivery_latency_seconds_bucket{notifier="slack",le="60.0"} 0"#)
                || text.contains(#"auditwatch_delivery_latency_seconds_bucket{notifier="slack",le="60"} 0"#), "\(text)")
    }

    @Test("a failed reload sets last-reload-successful to 0 and keeps the success time")
    func reloads() {
        let metrics = prepared()
        metrics.loaded(at: 100)
        metrics.reloaded(ok: false, at: 200)
        var text = metrics.exposition()
        #expect(text.contains("auditwatch_config_last_reload_successful 0"))
        #expect(text.contains("auditwatch_config_last_reload_success_timestamp_seconds 100"))
        #expect(text.contains(#"auditwatch_reloads_total{outcome="failed"} 1"#))
        metrics.reloaded(ok: true, at: 300)
        text = metrics.exposition()
        #expect(text.contains("auditwatch_config_last_reload_successful 1"))
        #expect(text.contains("auditwatch_config_last_reload_success_timestamp_seconds 300"))
    }
}
