import ArgumentParser
import AuditwatchApp
import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
import Foundation

/// `auditwatch run`: evaluate events against the rules and print the alerts.
extension Auditwatch {
    struct Run: AsyncParsableCommand {
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

        @Flag(
            name: .long, help: "With --config sources: poll each source once, deliver, and exit (for cron, and tests).")
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
            help: ArgumentHelp(
                "A rule file or directory (repeatable); default: rules, or the config's.", valueName: "path")
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
                "With --config and a PostgreSQL state: this replica's name in leases, logs and metrics (default: host name-pid).",
                valueName: "name"))
        var replica: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A JSON Lines line longer than this is skipped and reported like a malformed line.", valueName: "bytes")
        )
        var maxLineBytes = 16 << 20

        @Option(name: .long, help: ArgumentHelp("With --state: commit every N events.", valueName: "n"))
        var checkpointEvery = 1000

        @Option(
            name: .long,
            help: ArgumentHelp(
                "How late an event may arrive and still count in its correlation window (e.g. 5m).",
                valueName: "duration"))
        var lateness = "5m"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Live groups per correlation; beyond it the least recently updated is dropped and counted.",
                valueName: "n")
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
            if let replica, replica.isEmpty || replica.contains(where: { $0.isWhitespace || $0.isNewline }) {
                throw ValidationError("--replica is a name without spaces")
            }
            if replica != nil && (config == nil || events != nil) {
                throw ValidationError("--replica needs --config with sources to poll (and no --events)")
            }
            if waitDeliveries != nil && config == nil {
                throw ValidationError("--wait-deliveries needs --config (deliveries go to its notifiers)")
            }
        }

        /// What the options ask of a run.
        var settings: RunSettings {
            var settings = RunSettings(events: events)
            settings.rules = rules
            settings.placeholders = placeholders
            settings.output = output
            settings.strict = strict
            settings.state = state
            settings.follow = follow
            settings.maxLineBytes = maxLineBytes
            settings.checkpointEvery = checkpointEvery
            settings.engine.lateness = TimeSpan.parse(lateness).seconds ?? settings.engine.lateness
            settings.engine.maxGroupsPerRule = maxGroupsPerRule
            settings.waitSeconds = waitDeliveries.flatMap { TimeSpan.parse($0).seconds }.map(Double.init) ?? 0
            return settings
        }

        func run() async throws {
            guard let config else { return try EventRun(settings).run(out: standardOutput) }
            guard events == nil else { return try ConfiguredRun(config: config, settings).run() }
            try await serve(config)
        }
    }
}
