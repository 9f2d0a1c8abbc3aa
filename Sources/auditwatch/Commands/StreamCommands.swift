import ArgumentParser
import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
import AuditwatchService
import AuditwatchSources
import Foundation

/// A time given as a duration back from now (`24h`, `30d`) or as ISO 8601.
struct TimeArgument: ExpressibleByArgument {
    let seconds: Int64
    init?(argument: String) {
        if let ago = TimeSpan.parse(argument).seconds {
            seconds = Int64(Date().timeIntervalSince1970) - ago
        } else if let instant = UTCTime.parse(argument) {
            seconds = instant
        } else {
            return nil
        }
    }
}

/// Opens one configured source for a one-off read.
enum SourceAccess {
    static func poller(
        config path: String, source name: String?, types: [String]
    ) throws -> (AuditLogPoller, SourceConfig) {
        let (config, sources) = try LoadedConfig.load(path)
        guard let source = name.map({ wanted in config.sources.first { $0.name == wanted } }) ?? config.sources.first
        else {
            StandardError.line(
                "auditwatch: \(name.map { "no source '\($0)'" } ?? "no sources") in \(path)\(name.map { Suggestions.didYouMean($0, in: config.sources.map(\.name)) } ?? "")"
            )
            throw ExitCode(2)
        }
        let key: Secret
        switch SecretResolver().adminKey(of: source) {
        case .success(let value): key = value
        case .failure(let problem):
            StandardError.line(DiagnosticRenderer(sources: sources).text(problem))
            throw ExitCode(2)
        }
        var options = AuditLogPoller.Options(source: source)
        if !types.isEmpty { options.eventTypes = types }
        let client = AuditLogClient(
            baseURL: source.baseURL, adminKey: key.value,
            http: try HTTPClient(options: HTTPClientOptions(config: config)))
        return (AuditLogPoller(client: client, options: options, sleep: { Thread.sleep(forTimeInterval: $0) }), source)
    }
}

/// `auditwatch fetch`: export events as JSON Lines, for fixtures and investigations.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Export audit-log events of a time range as JSON Lines, oldest first."
    )

    @Option(name: .long, help: ArgumentHelp("The config file with the source.", valueName: "file"))
    var config = "auditwatch.yml"

    @Option(name: .long, help: ArgumentHelp("Which source (default: the first).", valueName: "name"))
    var source: String?

    @Option(
        name: .long, help: ArgumentHelp("Start: a duration back from now (24h, 30d) or ISO 8601.", valueName: "time"))
    var since: TimeArgument

    @Option(name: .long, help: ArgumentHelp("End (exclusive), same forms; default now.", valueName: "time"))
    var until: TimeArgument?

    @Option(name: .long, help: ArgumentHelp("Only this event type (repeatable).", valueName: "type"))
    var type: [String] = []

    func run() throws {
        let (poller, _) = try SourceAccess.poller(config: config, source: source, types: type)
        let progress = ProgressLine()
        let end = until?.seconds ?? Int64(Date().timeIntervalSince1970)
        let result = poller.fetch(since: since.seconds, until: until?.seconds) { count, oldest in
            progress.update(events: count, fraction: Double(end - oldest) / Double(max(1, end - since.seconds)))
        }
        progress.finish()
        switch result {
        case .success(let events):
            let stdout = LineWriter(descriptor: 1)
            for event in events { stdout.line(event.json) }
            stdout.flush()
            StandardError.line(
                "auditwatch: \(events.count) events from \(UTCTime.iso8601(since.seconds)) to \(UTCTime.iso8601(until?.seconds ?? Int64(Date().timeIntervalSince1970)))"
            )
        case .failure(let failure):
            StandardError.line("auditwatch: error: \(failure)")
            throw ExitCode(1)
        }
    }
}

/// `auditwatch backtest`: what the rules would have raised over history, without notifying anyone.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract:
            "Run the rules over history (the API, or a file) and show what would have fired: no notifications, no state."
    )

    @Option(name: .long, help: ArgumentHelp("Events from a file instead of the API.", valueName: "file"))
    var events: String?

    @Option(name: .long, help: ArgumentHelp("The config file (sources; and rules unless --rules).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Which source (default: the first).", valueName: "name"))
    var source: String?

    @Option(
        name: .long,
        help: ArgumentHelp("With the API: from a duration back from now (30d) or ISO 8601.", valueName: "time"))
    var since: TimeArgument?

    @Option(name: .long, help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "path"))
    var rules: [String] = []

    @Option(name: .long, help: "Alert format.")
    var output: AlertOutput = .text

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Values of the rules' expand placeholders; they win over the pack's defaults and the config's.",
            valueName: "file"))
    var placeholders: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --events: 2 reads and matches on a second core while the engine runs on this one (same results); 1 uses one. Default: 2 when the machine has two cores.",
            valueName: "n"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1

    func validate() throws {
        guard threads == 1 || threads == 2 else { throw ValidationError("--threads is 1 or 2") }
        guard (events == nil) != (since == nil) else {
            throw ValidationError("give --events FILE, or --since with --config")
        }
        if since != nil && config == nil { throw ValidationError("--since reads the API of a --config source") }
    }

    func run() throws {
        var rulePaths = rules
        let settings = try config.map { try LoadedConfig.load($0).config }
        if rulePaths.isEmpty, let settings { rulePaths = settings.rulePaths }
        let tuning = try LoadedRules.tuning(placeholders: placeholders, config: settings)
        let (ruleSet, _) = try LoadedRules.load(rulePaths.isEmpty ? ["rules"] : rulePaths, quiet: true, tuning: tuning)
        var engine = DetectionEngine(ruleSet: ruleSet)
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
        var count = 0
        var total = 0
        var perRule: [String: (RuleLevel, Int)] = [:]
        let stdout = LineWriter(descriptor: 1)
        // Alerts are written as they are raised: memory stays flat however long the history.
        func emit(_ raised: [Alert]) {
            for alert in raised {
                total += 1
                perRule[alert.ruleID] = (alert.level, (perRule[alert.ruleID]?.1 ?? 0) + 1)
                stdout.line(output == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert))
            }
        }
        let progress = ProgressLine()
        if let events {
            let size = (try? FileManager.default.attributesOfItem(atPath: events)[.size] as? NSNumber)?.doubleValue ?? 0
            let warn: @Sendable (InputProblem) -> Void = {
                StandardError.line("\($0.diagnostic.location!): warning: \($0.message)")
            }
            func note(_ position: EventReader.Position) {
                if count % 4096 == 0 {
                    progress.update(
                        events: count,
                        fraction: size > 0 && position.byteOffset > 0 ? Double(position.byteOffset) / size : nil)
                }
            }
            do {
                if threads == 2 {
                    try MatchingPipeline(reader: EventReader(path: events), ruleSet: ruleSet).run(onProblem: warn) {
                        batch in
                        for item in batch {
                            count += 1
                            emit(engine.process(item.event, matched: item.matched))
                            note(item.position)
                        }
                    }
                } else {
                    try EventReader(path: events).read(from: nil, onProblem: warn) { event, position in
                        count += 1
                        emit(engine.process(event))
                        note(position)
                    }
                }
                progress.finish()
            } catch {
                StandardError.line("\(error.diagnostic.location!): error: \(error.message)")
                throw ExitCode(1)
            }
        } else {
            let (poller, _) = try SourceAccess.poller(config: config!, source: source, types: [])
            let end = Int64(Date().timeIntervalSince1970)
            let fetched = poller.fetch(since: since!.seconds, until: nil) { read, oldest in
                progress.update(events: read, fraction: Double(end - oldest) / Double(max(1, end - since!.seconds)))
            }
            progress.finish()
            switch fetched {
            case .success(let history):
                count = history.count
                for event in history { emit(engine.process(event)) }
            case .failure(let failure):
                StandardError.line("auditwatch: error: \(failure)")
                throw ExitCode(1)
            }
        }
        emit(engine.finish())
        stdout.flush()
        StandardError.line("auditwatch: backtest over \(count) events: \(total) alerts would have been raised")
        for (rule, entry) in perRule.sorted(by: { ($0.value.0, $0.value.1, $0.key) > ($1.value.0, $1.value.1, $1.key) })
        {
            StandardError.line("  \(String(entry.1).padding(6)) \(entry.0.rawValue.padding(14)) \(rule)")
        }
    }
}

/// `auditwatch check`: verify the config, rules, notifiers and each source's key, sending nothing.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the config, the rules, the notifiers' secrets and each source's admin key; sends no alert.",
        discussion: "Exit status 0 when everything works, 1 when a source or secret fails, 2 on config or rule errors."
    )

    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "file"))
    var config = "auditwatch.yml"

    @Flag(name: .long, help: "Treat warnings (plain http to another machine, routes that send nowhere…) as errors.")
    var strict = false

    func run() throws {
        let setup = try ConfiguredService.load(config, strict: strict, readOnly: true)
        var failed = false
        let state =
            setup.store.location == ":memory:"
            ? "\(setup.config.statePath) (not created yet: the first run creates it)" : setup.config.statePath
        StandardError.line(
            "config \(config): OK; \(setup.ruleSet.rules.count) rules and \(setup.ruleSet.correlations.count) correlations; state file \(state)"
        )
        for name in setup.clients.keys.sorted() {
            StandardError.line("notifier \(name) (\(setup.clients[name]!.kind.rawValue)): secrets resolved")
        }
        for source in setup.config.sources {
            let (poller, _) = try SourceAccess.poller(config: config, source: source.name, types: [])
            let now = Int64(Date().timeIntervalSince1970)
            switch poller.fetch(since: now - 3600, until: nil) {
            case .success(let events):
                StandardError.line(
                    "source \(source.name): the admin key works; \(events.count) events in the last hour")
            case .failure(.unauthorized(let status, let message)):
                failed = true
                StandardError.line(
                    "source \(source.name): the admin key was refused (HTTP \(status)): \(message). Create an Admin API key (Settings → Organization → Admin keys) and make sure audit logging is on (Settings → Organization → Data controls)."
                )
            case .failure(let failure):
                failed = true
                StandardError.line(
                    "source \(source.name): cannot read the audit log: \(setup.redactor.redact(failure.description))")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
