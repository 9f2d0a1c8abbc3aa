import ArgumentParser
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
import AuditwatchSources
import AuditwatchState
import Foundation

/// `run --config` with `sources:`: polls each organization's audit log, runs its events through
/// its own engine, and commits engine state, poller state and alerts together, so a crash or
/// restart resumes exactly where it stopped. A source that keeps failing raises its own alert.
final class PollingService {
    struct Source {
        let config: SourceConfig
        let poller: AuditLogPoller
        var engine: DetectionEngine
        var state: PollerState
    }

    private let service: ConfiguredService
    private var sources: [Source] = []
    private let clock: () -> Int64

    init(service: ConfiguredService, options: EngineOptions, clock: @escaping () -> Int64 = { Int64(Date().timeIntervalSince1970) }) throws {
        self.service = service
        self.clock = clock
        var redactor = service.redactor
        var problems: [Diagnostic] = []
        for config in service.config.sources {
            switch SecretResolver().resolve(config.adminKey, what: "the admin key of source '\(config.name)'", at: config.location, owner: config.name) {
            case .failure(let problem):
                problems.append(problem)
            case .success(let key):
                redactor.add(key)
                var httpOptions = HTTPClientOptions()
                httpOptions.connectTimeout = service.config.connectTimeout
                httpOptions.totalTimeout = service.config.timeout
                httpOptions.caBundlePath = service.config.caBundle
                httpOptions.proxy = service.config.proxy
                let client = AuditLogClient(baseURL: config.baseURL, adminKey: key.value, http: try HTTPClient(options: httpOptions))
                var pollerOptions = AuditLogPoller.Options()
                pollerOptions.overlap = config.overlap
                pollerOptions.initialLookback = config.start
                pollerOptions.pageSize = config.pageSize
                pollerOptions.eventTypes = config.eventTypes
                pollerOptions.projectIDs = config.projectIDs
                pollerOptions.tenantEvents = config.tenantEvents
                pollerOptions.pagingParameter = config.pagingParameter
                let poller = AuditLogPoller(client: client, options: pollerOptions, sleep: { Thread.sleep(forTimeInterval: $0) })
                let engineState = try service.store.engineState(source: config.name) ?? EngineState()
                let saved = try service.store.sourceState(config.name).flatMap { try? JSONDecoder().decode(PollerState.self, from: Data($0.utf8)) } ?? PollerState()
                sources.append(Source(config: config, poller: poller, engine: DetectionEngine(ruleSet: service.ruleSet, options: options, state: engineState), state: saved))
            }
        }
        guard problems.isEmpty else {
            StandardError.line(DiagnosticRenderer(sources: SourceFiles()).text(problems))
            throw ExitCode(2)
        }
        redactorForLogs = redactor
    }

    private var redactorForLogs: Redactor

    /// One round: every source polled once, its alerts committed, the outbox sent.
    func pollOnce() throws {
        for index in sources.indices {
            let now = clock()
            var source = sources[index]
            var alerts: [Alert] = []
            switch source.poller.poll(&source.state, now: now) {
            case .success(let events):
                if let since = source.state.failingSince {
                    log("source \(source.config.name): polling works again after \(Duration.format(max(1, now - since)))")
                    source.state.failingSince = nil
                    source.state.unavailableAlerted = false
                }
                for event in events { alerts += source.engine.process(event).map { $0.fromSource(source.config.name) } }
                log("source \(source.config.name): \(events.count) new event\(events.count == 1 ? "" : "s")")
            case .failure(let failure):
                log("source \(source.config.name): poll failed: \(failure)")
                let since = source.state.failingSince ?? now
                source.state.failingSince = since
                if now - since >= source.config.unavailableAfter && !source.state.unavailableAlerted {
                    source.state.unavailableAlerted = true
                    alerts.append(PollingService.unavailableAlert(source.config.name, since: since, now: now, reason: redactorForLogs.redact(failure.description)))
                }
            }
            let stateJSON = String(decoding: try JSONEncoder().encode(source.state), as: UTF8.self)
            let fresh = try service.store.checkpoint(state: source.engine.state, position: nil, alerts: alerts, engineSource: source.config.name, sourceState: stateJSON, sinksFor: service.router.notifiers(for:))
            for alert in fresh {
                log("alert \(alert.id) \(alert.level.rawValue) \(alert.ruleID) [\(alert.source ?? "")] -> \(service.router.notifiers(for: alert).joined(separator: ", ")): \(AlertFormatter.printable(alert.summary))")
            }
            sources[index] = source
        }
        try service.worker.deliverDue()
    }

    /// Polls forever (or once), at the shortest poll interval of the sources.
    func run(once: Bool) throws {
        let interval = sources.map(\.config.pollInterval).min() ?? 60
        while true {
            try pollOnce()
            if once { return }
            Thread.sleep(forTimeInterval: Double(interval))
        }
    }

    /// "Audit stream unavailable": a silent watcher is the worst failure of a security tool.
    static func unavailableAlert(_ source: String, since: Int64, now: Int64, reason: String) -> Alert {
        Alert(id: AlertID.make(ruleID: "auditwatch_source_unavailable", group: [GroupValue(field: "source", value: source)], anchorEventID: String(since)),
              ruleID: "auditwatch_source_unavailable", ruleTitle: "Audit stream unavailable", level: .high, tags: ["auditwatch.health"],
              group: [GroupValue(field: "source", value: source)], count: 0, firstAt: since, lastAt: now, eventIDs: [],
              summary: "The audit log of \(source) has been unavailable for \(Duration.format(max(1, now - since))): \(reason)",
              suppressed: 0, source: source)
    }

    private func log(_ line: String) { StandardError.line(redactorForLogs.redact(line)) }
}
