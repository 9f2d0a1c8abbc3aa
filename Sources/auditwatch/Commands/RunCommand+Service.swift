import ArgumentParser
import AuditwatchApp
import AuditwatchConfig
import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
import Foundation

// The long-running service of `run --config` without --events (helper service's area: the
// lifecycle here is to move to swift-service-lifecycle). Errors are said in the service's log.
extension Auditwatch.Run {
    /// Polls the config's sources until stopped, every finding and error in the service's log.
    func serve(_ config: String) throws {
        // The service logs everything, its config's findings too, in its log format from the start.
        let serviceLog = makeServiceLog(config)
        let sink = DiagnosticSink.log(serviceLog)
        do {
            let setup = try ConfiguredService.load(
                config, rulesOverride: rules, stateOverride: state, placeholders: placeholders, sink: sink,
                log: { serviceLog.info($0) })
            let lock = try StateAccess.lock(setup.config.statePath)
            defer { withExtendedLifetime(lock) {} }
            var options = settings.engine
            options.lateness = setup.config.lateness
            guard !setup.config.sources.isEmpty else {
                throw AppError.usage("\(config) has no sources to poll; give --events FILE")
            }
            do { try runService(setup, options: options, log: serviceLog) } catch let error as AppError {
                throw error
            } catch {
                // Said in the log's format (ArgumentParser's own "Error: …" line is text).
                serviceLog.error("stopped on an error", [("event", "stop"), ("error", String(describing: error))])
                throw AppError.reported(exitCode: 1)
            }
        } catch let error as AppError {
            throw AppError.reported(exitCode: ErrorReporter(sink: sink).report(error))
        }
    }

    /// The service's log: `--log-format`/`--log-level`, else the config's `logging`, else text and info.
    /// The config is read here only for those two keys; its findings are reported by the real load.
    private func makeServiceLog(_ config: String) -> ServiceLog {
        let configured = (logFormat == nil || logLevel == nil) ? ConfigLoader.load(config).config : nil
        let format = logFormat ?? configured.flatMap { ServiceLog.Format(rawValue: $0.logFormat) } ?? .text
        let level = logLevel ?? configured.flatMap { ServiceLog.Level(rawValue: $0.logLevel) } ?? .info
        return ServiceLog(format: format, minimum: level) { StandardError.line($0) }
    }

    /// The long-running service: signals, health and metrics server, pid file, reloads.
    private func runService(_ setup: ServiceParts, options: EngineOptions, log: ServiceLog) throws {
        let sink = DiagnosticSink.log(log)
        let metrics = ServiceMetrics(version: Auditwatch.version)
        let service: PollingService
        do {
            service = try PollingService(service: setup, options: options, log: log, metrics: metrics)
        } catch let error as ServiceSetupError {
            throw AppError.diagnostics(Findings(diagnostics: error.diagnostics))
        }
        service.backfillNotify = backfillNotify
        let control = ServiceControl()
        control.installSignalHandlers()
        // The pid file is for people and init systems; the lock file is what `reload` trusts.
        let pidFile = PidFile(path: setup.config.statePath + ".pid")
        pidFile.write()
        defer { pidFile.removeIfOwned() }
        var server: HealthServer?
        if let listen = setup.config.listen {
            let health = try HealthServer(host: listen.host, port: listen.port, metrics: metrics) { service.ready }
            let port = try BlockingTask.run { try await health.start() }
            log.info("serving /healthz, /readyz and /metrics", [("address", "\(listen.host):\(port)")])
            server = health
        }
        try runLoop(service, setup: setup, control: control, log: log)
        try? FileManager.default.removeItem(atPath: ReloadOutcome.path(state: setup.config.statePath))
        if let server { BlockingTask.run { await server.stop() } }
        if once { DeliveryBacklog.report(setup, config: config!, sink: sink) }
    }

    /// Polls until stopped; a reload loads the config again, its findings going to the log.
    private func runLoop(
        _ service: PollingService, setup: ServiceParts, control: ServiceControl, log: ServiceLog
    ) throws {
        try service.run(once: once, waitDeliveries: settings.waitSeconds, control: control) {
            let now = Int64(Date().timeIntervalSince1970)
            do {
                let fresh = try ConfiguredService.load(
                    config!, rulesOverride: rules, stateOverride: state, placeholders: placeholders, sink: .log(log),
                    refusal: "the running rules, routes and notifiers stay in force", log: { log.info($0) })
                ReloadOutcome(
                    time: now, ok: true, rules: fresh.ruleSet.rules.count + fresh.ruleSet.correlations.count,
                    notifiers: fresh.clients.count
                )
                .write(state: setup.config.statePath)
                return fresh
            } catch {
                if let error = error as? AppError { _ = ErrorReporter(sink: .log(log)).report(error) }
                ReloadOutcome(time: now, ok: false).write(state: setup.config.statePath)
                return nil
            }
        }
    }
}
