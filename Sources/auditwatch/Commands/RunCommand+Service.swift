import ArgumentParser
import AuditwatchApp
import AuditwatchConfig
import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
import Foundation
import Logging

// The long-running service of `run --config` without --events, on swift-service-lifecycle
// (`ServiceRunner`). Errors are said in the service's log, in its format.
extension Auditwatch.Run {
    /// Polls the config's sources until stopped, every finding and error in the service's log.
    func serve(_ config: String) async throws {
        // The service logs everything, its config's findings too, in its log format from the start.
        let serviceLog = makeServiceLog(config)
        let sink = DiagnosticSink.log(serviceLog)
        do {
            let setup = try ConfiguredService.load(
                config, rulesOverride: rules, stateOverride: state, placeholders: placeholders, sink: sink,
                log: { serviceLog.info("\($0)") })
            let lock = try StateAccess.lock(setup.config.statePath)
            defer { withExtendedLifetime(lock) {} }
            var options = settings.engine
            options.lateness = setup.config.lateness
            // An empty sources_dir is a start: organizations come with SIGHUP.
            guard !setup.config.sources.isEmpty || setup.config.sourcesDir != nil else {
                throw AppError.usage("\(config) has no sources to poll; give --events FILE")
            }
            do { try await runService(setup, config: config, options: options, log: serviceLog) } catch let error
                as AppError
            {
                throw error
            } catch let error as ServiceSetupError {
                // ServiceRunner has logged the located problems.
                _ = error
                throw AppError.reported(exitCode: 2)
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
    private func makeServiceLog(_ config: String) -> Logger {
        let configured = (logFormat == nil || logLevel == nil) ? ConfigLoader.load(config).config : nil
        let format = logFormat ?? configured.flatMap { LogFormat(rawValue: $0.logFormat) } ?? .text
        let level = logLevel ?? configured.flatMap { LogThreshold(rawValue: $0.logLevel) } ?? .info
        return .service(LogOutput(format: format) { StandardError.line($0) }, threshold: level)
    }

    /// The service group: signals, health and metrics server, pid file, reloads. A reload loads
    /// the config again, its findings (and a refusal's error) going to the log.
    private func runService(
        _ setup: sending ServiceParts, config: String, options: EngineOptions, log: Logger
    ) async throws {
        let (rules, state, placeholders) = (rules, state, placeholders)
        let target = try StateTarget.of(setup.config)
        try await ServiceRunner.run(
            setup, engine: options,
            options: .init(
                once: once, waitDeliveries: settings.waitSeconds, backfillNotify: backfillNotify,
                version: Auditwatch.version, openStore: { [target] in try target.open() },
                replica: replica ?? ReplicaName.default),
            log: log
        ) {
            do {
                let fresh = try ConfiguredService.load(
                    config, rulesOverride: rules, stateOverride: state, placeholders: placeholders, sink: .log(log),
                    refusal: "the running rules, routes and notifiers stay in force", log: { log.info("\($0)") })
                try ConfiguredService.checkAdminKeys(fresh)
                return fresh
            } catch {
                if let error = error as? AppError { _ = ErrorReporter(sink: .log(log)).report(error) }
                throw error
            }
        }
        // The parts went to the service; what is left in the outbox is read again.
        if once, let store = try? target.open() {
            DeliveryBacklog.report(store, config: config, sink: .log(log))
        }
    }
}
