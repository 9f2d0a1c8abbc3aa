import ArgumentParser
import AuditwatchConfig
import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
import AuditwatchSources
import AuditwatchState
import Foundation
import Logging

/// `auditwatch run`: evaluate events against the rules and print the alerts.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the rules over audit-log events and print the alerts.",
        discussion: """
            Input may be JSON Lines (one event per line), an API list response, or a JSON array of \
            events; the shape is detected. A malformed line is reported with its line number and \
            skipped unless --strict. Exit status: 0 done, 1 input problem under --strict, 2 rule errors.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Audit-log events to read ('-' for standard input). Without it, --config's sources are polled.",
            valueName: "file"))
    var events: String?

    @Flag(name: .long, help: "With --config sources: poll each source once, deliver, and exit (for cron, and tests).")
    var once = false

    @Flag(
        name: .long,
        help:
            "With --config sources: also send the alerts of a new source's first poll (its `start` backlog); by default they are only recorded in the state file."
    )
    var backfillNotify = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --config, a run that ends (--events, --once) waits up to this long for deliveries that are retrying (e.g. 2m); default: it sends what is due and exits.",
            valueName: "duration"))
    var waitDeliveries: String?

    @Flag(name: .long, help: "Keep reading the --events file as it grows, like tail -f (JSON Lines).")
    var follow = false

    @Option(name: .long, help: "Service log lines: text or json (default: the config's logging.format, else text).")
    var logFormat: LogFormat?

    @Option(name: .long, help: "Least severe log level shown: debug, info, warning, error.")
    var logLevel: LogThreshold?

    @Option(
        name: .long,
        help: ArgumentHelp("A rule file or directory (repeatable); default: rules, or the config's.", valueName: "path")
    )
    var rules: [String] = []

    @Option(name: .long, help: "Alert format: text (one line each) or jsonl (one JSON object each).")
    var output: AlertOutput = .text

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Values of the rules' expand placeholders (placeholders: {name: [values]}); they win over the pack's defaults and the config's.",
            valueName: "file"))
    var placeholders: String?

    @Flag(name: .long, help: "Stop at the first malformed line instead of skipping it.")
    var strict = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A state file: resume where the last run stopped, keep correlation windows across runs, never raise an alert twice.",
            valueName: "path"))
    var state: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "auditwatch.yml: rules, state file, notifiers and routes. Alerts go to the notifiers, not to stdout.",
            valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A JSON Lines line longer than this is skipped and reported like a malformed line.", valueName: "bytes"))
    var maxLineBytes = 16 << 20

    @Option(name: .long, help: ArgumentHelp("With --state: commit every N events.", valueName: "n"))
    var checkpointEvery = 1000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How late an event may arrive and still count in its correlation window (e.g. 5m).", valueName: "duration"))
    var lateness = "5m"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Live groups per correlation; beyond it the least recently updated is dropped and counted.", valueName: "n")
    )
    var maxGroupsPerRule = 100_000

    func validate() throws {
        guard events != nil || config != nil else {
            throw ValidationError("give --events FILE, or --config FILE with sources to poll")
        }
        if follow && (events == nil || events == "-") {
            throw ValidationError("--follow needs --events FILE (standard input is read as it comes anyway)")
        }
        guard checkpointEvery > 0 else { throw ValidationError("--checkpoint-every must be at least 1") }
        guard maxLineBytes > 0 else { throw ValidationError("--max-line-bytes must be at least 1") }
        guard maxGroupsPerRule > 0 else { throw ValidationError("--max-groups-per-rule must be at least 1") }
        if let error = TimeSpan.parse(lateness).error { throw ValidationError("--lateness: \(error)") }
        if let waitDeliveries, let error = TimeSpan.parse(waitDeliveries).error {
            throw ValidationError("--wait-deliveries: \(error)")
        }
        if waitDeliveries != nil && config == nil {
            throw ValidationError("--wait-deliveries needs --config (deliveries go to its notifiers)")
        }
    }

    private var waitSeconds: Double { waitDeliveries.flatMap { TimeSpan.parse($0).seconds }.map(Double.init) ?? 0 }

    private var engineOptions: EngineOptions {
        var options = EngineOptions()
        options.lateness = TimeSpan.parse(lateness).seconds ?? options.lateness
        options.maxGroupsPerRule = maxGroupsPerRule
        return options
    }

    func run() async throws {
        if config != nil { return try await runConfigured() }
        let (ruleSet, _) = try LoadedRules.load(
            rules.isEmpty ? ["rules"] : rules, quiet: true, tuning: try LoadedRules.tuning(placeholders: placeholders))
        var engine = DetectionEngine(ruleSet: ruleSet, options: engineOptions)
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
        let stdout = LineWriter(descriptor: 1)
        var alertsByLevel: [RuleLevel: Int] = [:]
        if let state {
            let lock = try lockState(state)
            defer { withExtendedLifetime(lock) {} }
            let store = try openStore(state)
            let session = StatefulRun(
                store: store, eventsPath: events!, batchSize: checkpointEvery, follow: follow,
                maxLineBytes: maxLineBytes, note: { StandardError.line("auditwatch: note: " + $0) },
                sinksFor: { _ in ["stdout"] },
                deliver: StatefulRun.stdoutDelivery(store) { alert in
                    stdout.line(output == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert))
                    stdout.flush()
                })
            let outcome = try runSession(session, engine: &engine)
            for alert in outcome.raised { alertsByLevel[alert.level, default: 0] += 1 }
            report(reader: outcome.reader, alertsByLevel: alertsByLevel, engine: engine)
            return
        }
        let reader = EventReader(path: events!)
        reader.maxLineBytes = maxLineBytes
        if follow { reader.followInterval = 0.25 }
        do {
            try reader.read(
                strict: strict, from: nil,
                onProblem: { problem in
                    StandardError.line("\(problem.diagnostic.location!): warning: \(problem.message)")
                },
                onIdle: {
                    stdout.flush()
                    engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
                    return true
                },
                onEvent: { event, _ in
                    for alert in engine.process(event) {
                        alertsByLevel[alert.level, default: 0] += 1
                        stdout.line(output == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert))
                    }
                })
        } catch {
            stdout.flush()
            StandardError.line("\(error.diagnostic.location!): error: \(error.message)")
            throw ExitCode(1)
        }
        // A file has an end: decide the windows still open and flush suppressions.
        for alert in engine.finish() {
            alertsByLevel[alert.level, default: 0] += 1
            stdout.line(output == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert))
        }
        stdout.flush()
        report(reader: reader, alertsByLevel: alertsByLevel, engine: engine)
    }

    /// One process per state file: a second one refuses, naming the holder. A PostgreSQL state
    /// has no file to lock (several processes share it; leases are issue 18's next step).
    private func lockState(_ path: String, sink: DiagnosticSink = .standardError) throws -> StateLock? {
        guard !StoreLocation.isDatabaseURL(path) else { return nil }
        do throws(StateError) { return try StateLock(statePath: path) } catch {
            sink.note(.error, "auditwatch: error: \(error.message)")
            throw ExitCode(1)
        }
    }

    private func openStore(_ path: String) throws -> StateStore {
        do throws(StateError) { return try StoreLocation(path).open() } catch {
            StandardError.line("auditwatch: error: \(error.message)")
            throw ExitCode(1)
        }
    }

    private func runSession(
        _ session: StatefulRun, engine: inout DetectionEngine
    ) throws -> (reader: EventReader, raised: [Alert]) {
        do {
            return try session.run(engine: &engine, strict: strict) { problem in
                StandardError.line("\(problem.diagnostic.location!): warning: \(problem.message)")
            }
        } catch let problem as InputProblem {
            StandardError.line("\(problem.diagnostic.location!): error: \(problem.message)")
            throw ExitCode(1)
        } catch let error as StateError {
            StandardError.line("auditwatch: error: \(error.message)")
            throw ExitCode(1)
        }
    }

    /// `run --config`: alerts are routed to notifiers through the state file's outbox.
    private func runConfigured() async throws {
        // The service logs everything, its config's findings too, in its log format from the start.
        let serviceLog = events == nil ? makeServiceLog() : nil
        let sink = serviceLog.map(DiagnosticSink.log) ?? .standardError
        let setup = try ConfiguredService.load(
            config!, rulesOverride: rules, stateOverride: state, placeholders: placeholders, sink: sink,
            log: { line in serviceLog.map { $0.info("\(line)") } ?? StandardError.line(line) })
        let lock = try lockState(setup.config.statePath, sink: sink)
        defer { withExtendedLifetime(lock) {} }
        var options = engineOptions
        options.lateness = setup.config.lateness
        guard let events else {
            guard !setup.config.sources.isEmpty else {
                sink.note(.error, "auditwatch: \(config!) has no sources to poll; give --events FILE")
                throw ExitCode(2)
            }
            do { try await runService(setup, options: options, log: serviceLog!) } catch let exit as ExitCode {
                throw exit
            } catch is ServiceSetupError {
                throw ExitCode(2)
            } catch {
                // Said in the log's format (ArgumentParser's own "Error: …" line is text).
                serviceLog!.error("stopped on an error", [("event", "stop"), ("error", String(describing: error))])
                throw ExitCode(1)
            }
            return
        }
        var engine = DetectionEngine(ruleSet: setup.ruleSet, options: options)
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
        // Deliveries go out beside the reading, one lane per notifier; the run ends once
        // everything due is sent (and retries up to --wait-deliveries).
        let lanes = setup.makeLanes()
        do throws(StateError) { try lanes.start() } catch {
            StandardError.line("auditwatch: error: \(error.message)")
            throw ExitCode(1)
        }
        let session = StatefulRun(
            store: setup.store, eventsPath: events, batchSize: checkpointEvery, follow: follow,
            maxLineBytes: maxLineBytes, note: { StandardError.line("auditwatch: note: " + $0) },
            sinksFor: setup.router.notifiers(for:)
        ) {
            lanes.wake()
        }
        let outcome: (reader: EventReader, raised: [Alert])
        do { outcome = try runSession(session, engine: &engine) } catch {
            lanes.stop(drain: setup.config.drain)
            throw error
        }
        lanes.finish(waitRetries: waitSeconds, drain: setup.config.drain)
        var byLevel: [RuleLevel: Int] = [:]
        for alert in outcome.raised {
            byLevel[alert.level, default: 0] += 1
            StandardError.line(
                "alert \(alert.id) \(alert.level.rawValue) \(alert.ruleID) -> \(setup.router.notifiers(for: alert).joined(separator: ", ")): \(AlertFormatter.printable(setup.redactor.redact(alert.summary)))"
            )
        }
        report(reader: outcome.reader, alertsByLevel: byLevel, engine: engine)
        reportDeliveries(setup.store)
    }

    /// The service's log: `--log-format`/`--log-level`, else the config's `logging`, else text and info.
    /// The config is read here only for those two keys; its findings are reported by the real load.
    private func makeServiceLog() -> Logger {
        let configured = (logFormat == nil || logLevel == nil) ? ConfigLoader.load(config!).config : nil
        let format = logFormat ?? configured.flatMap { LogFormat(rawValue: $0.logFormat) } ?? .text
        let level = logLevel ?? configured.flatMap { LogThreshold(rawValue: $0.logLevel) } ?? .info
        return .service(LogOutput(format: format) { StandardError.line($0) }, threshold: level)
    }

    /// What a run that ends left in the outbox, said plainly.
    private func reportDeliveries(_ store: StateStore, sink: DiagnosticSink = .standardError) {
        let now = Int64(Date().timeIntervalSince1970)
        let pending = (try? store.pendingCount(now: now).pending) ?? 0
        let failed = (try? store.alerts(status: .failed).count) ?? 0
        guard pending + failed > 0 else { return }
        var line = "auditwatch: \(pending) deliveries waiting to retry"
        if pending > 0, let next = try? store.nextDueTime() {
            line += " (next attempt at \(UTCTime.iso8601(next)), by the next run or the service)"
        }
        line += ", \(failed) dead-lettered (auditwatch alerts list --config \(config!))"
        sink.note(.warning, line)
    }

    /// The long-running service (`ServiceRunner`); a reload loads the config again, its findings
    /// going to the log.
    private func runService(_ setup: sending ServiceParts, options: EngineOptions, log: Logger) async throws {
        let (config, rules, state, placeholders) = (config!, rules, state, placeholders)
        let statePath = setup.config.statePath
        try await ServiceRunner.run(
            setup, engine: options,
            options: .init(
                once: once, waitDeliveries: waitSeconds, backfillNotify: backfillNotify, version: Auditwatch.version,
                openStore: { [statePath] in try StoreLocation(statePath).open() }),
            log: log
        ) {
            try ConfiguredService.load(
                config, rulesOverride: rules, stateOverride: state, placeholders: placeholders, sink: .log(log),
                refusal: "the running rules, routes and notifiers stay in force", log: { log.info("\($0)") })
        }
        // The parts went to the service; what is left in the outbox is read again.
        if once, let store = try? StoreLocation(statePath).open() { reportDeliveries(store, sink: .log(log)) }
    }

    private func report(reader: EventReader, alertsByLevel: [RuleLevel: Int], engine: DetectionEngine) {
        let total = alertsByLevel.values.reduce(0, +)
        let levels = RuleLevel.allCases.reversed().compactMap { level in
            alertsByLevel[level].map { "\(level.rawValue) \($0)" }
        }
        var summary =
            "auditwatch: \(reader.eventCount) event\(reader.eventCount == 1 ? "" : "s") read, \(reader.skippedCount) skipped, \(total) alert\(total == 1 ? "" : "s")"
        if !levels.isEmpty { summary += " (" + levels.joined(separator: ", ") + ")" }
        StandardError.line(summary)
        if reader.repairedCount > 0 {
            StandardError.line(
                "auditwatch: note: \(reader.repairedCount) line\(reader.repairedCount == 1 ? "" : "s") had invalid UTF-8, replaced with U+FFFD and kept"
            )
        }
        let counters = engine.state.counters
        if counters.lateEvents > 0 || counters.evictions > 0 || counters.suppressed > 0 {
            StandardError.line(
                "auditwatch: \(counters.suppressed) alerts folded by suppress, \(counters.lateEvents) late events (not correlated), \(counters.evictions) correlation groups evicted by the cap"
            )
        }
        let limits = engine.limitHits.filter { $0.count > 0 && $0.limit != "correlation_groups" }
        if !limits.isEmpty {
            // Once per run, as the service logs each limit once (README, Limits).
            StandardError.line(
                "auditwatch: engine limits reached: "
                    + limits.map { "\($0.limit) \($0.count) times" }.joined(separator: ", ")
                    + " (see Limits in the README)")
        }
        if !engine.undocumentedTypes.isEmpty {
            let listed = engine.undocumentedTypes.sorted {
                $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
            }
            .prefix(10).map { "\(AlertFormatter.printable($0.key)) (\($0.value))" }
            StandardError.line(
                "auditwatch: note: \(engine.undocumentedTypes.values.reduce(0, +)) events of \(engine.undocumentedTypes.count) type\(engine.undocumentedTypes.count == 1 ? "" : "s") the API does not document were evaluated: \(listed.joined(separator: ", "))"
            )
        }
    }
}
