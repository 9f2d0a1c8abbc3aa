import AuditwatchConfig
public import AuditwatchCore
import AuditwatchNotify
public import AuditwatchService
import AuditwatchSources
import AuditwatchState
import Foundation

/// `auditwatch run --config FILE --events FILE`: the rules over a file, alerts routed to the
/// config's notifiers through the state file's outbox; the run ends once what is due is sent.
public struct ConfiguredRun {
    public var config: String
    public var settings: RunSettings
    public var sink: DiagnosticSink

    public init(config: String, _ settings: RunSettings, sink: DiagnosticSink = .standardError) {
        self.config = config
        self.settings = settings
        self.sink = sink
    }

    public func run() throws {
        let sink = self.sink
        let setup = try ConfiguredService.load(
            config, rulesOverride: settings.rules, stateOverride: settings.state, placeholders: settings.placeholders,
            sink: sink, log: { sink.note(.info, $0) })
        let lock = try StateAccess.lock(setup.config.statePath)
        defer { withExtendedLifetime(lock) {} }
        var options = settings.engine
        options.lateness = setup.config.lateness
        var engine = DetectionEngine(ruleSet: setup.ruleSet, options: options)
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
        // Deliveries go out beside the reading, one lane per notifier; the run ends once
        // everything due is sent (and retries up to --wait-deliveries).
        let lanes = setup.makeLanes()
        do throws(StateError) { try lanes.start() } catch { throw AppError.state(error.message) }
        let session = StatefulRun(
            store: setup.store, eventsPath: settings.events!, batchSize: settings.checkpointEvery,
            follow: settings.follow, maxLineBytes: settings.maxLineBytes,
            note: { sink.note(.info, "auditwatch: note: " + $0) }, sinksFor: setup.router.notifiers(for:)
        ) {
            lanes.wake()
        }
        let outcome: (reader: EventReader, raised: [Alert])
        do { outcome = try EventRun.run(session, engine: &engine, strict: settings.strict, sink: sink) } catch {
            lanes.stop(drain: setup.config.drain)
            throw error
        }
        lanes.finish(waitRetries: settings.waitSeconds, drain: setup.config.drain)
        var byLevel: [RuleLevel: Int] = [:]
        for alert in outcome.raised {
            byLevel[alert.level, default: 0] += 1
            sink.note(
                .info,
                "alert \(alert.id) \(alert.level.rawValue) \(alert.ruleID) -> \(setup.router.notifiers(for: alert).joined(separator: ", ")): \(AlertFormatter.printable(setup.redactor.redact(alert.summary)))"
            )
        }
        RunReport.lines(reader: outcome.reader, alertsByLevel: byLevel, engine: engine).forEach { sink.note(.info, $0) }
        DeliveryBacklog.report(setup, config: config, sink: sink)
    }
}

/// What a run that ends left in the outbox, said plainly.
public enum DeliveryBacklog {
    public static func report(_ setup: ServiceParts, config: String, sink: DiagnosticSink) {
        report(setup.store, config: config, sink: sink)
    }

    /// What `store`'s outbox holds that a run that ended left behind.
    public static func report(_ store: any StateStore, config: String, sink: DiagnosticSink) {
        let now = Int64(Date().timeIntervalSince1970)
        let pending = (try? store.pendingCount(now: now).pending) ?? 0
        let failed = (try? store.alerts(status: .failed).count) ?? 0
        guard pending + failed > 0 else { return }
        var line = "auditwatch: \(pending) deliveries waiting to retry"
        if pending > 0, let next = try? store.nextDueTime() {
            line += " (next attempt at \(UTCTime.iso8601(next)), by the next run or the service)"
        }
        line += ", \(failed) dead-lettered (auditwatch alerts list --config \(config))"
        sink.note(.warning, line)
    }
}
