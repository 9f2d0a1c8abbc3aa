import ArgumentParser
import AuditwatchApp
import Foundation

extension Auditwatch {
    /// `auditwatch fetch`: export events as JSON Lines, for fixtures and investigations.
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Export audit-log events of a time range as JSON Lines, oldest first."
        )

        @Option(name: .long, help: ArgumentHelp("The config file with the source.", valueName: "file"))
        var config = "auditwatch.yml"

        @Option(name: .long, help: ArgumentHelp("Which source (default: the first).", valueName: "name"))
        var source: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Start: a duration back from now (24h, 30d) or ISO 8601.", valueName: "time"))
        var since: TimeArgument

        @Option(name: .long, help: ArgumentHelp("End (exclusive), same forms; default now.", valueName: "time"))
        var until: TimeArgument?

        @Option(name: .long, help: ArgumentHelp("Only this event type (repeatable).", valueName: "type"))
        var type: [String] = []

        func run() throws {
            var fetch = AuditwatchApp.Fetch(config: config, source: source, since: since.seconds, until: until?.seconds)
            fetch.types = type
            try fetch.run(out: standardOutput)
        }
    }

    /// `auditwatch backtest`: what the rules would have raised over history, without notifying anyone.
    struct Backtest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backtest",
            abstract:
                "Run the rules over history (the API, or a file) and show what would have fired: no notifications, no state."
        )

        @Option(name: .long, help: ArgumentHelp("Events from a file instead of the API.", valueName: "file"))
        var events: String?

        @Option(
            name: .long, help: ArgumentHelp("The config file (sources; and rules unless --rules).", valueName: "file"))
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

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also write a self-contained HTML page: alerts per rule per day, the noisiest rules, top groups.",
                valueName: "file"))
        var report: String?

        func validate() throws {
            guard threads == 1 || threads == 2 else { throw ValidationError("--threads is 1 or 2") }
            guard (events == nil) != (since == nil) else {
                throw ValidationError("give --events FILE, or --since with --config")
            }
            if since != nil && config == nil { throw ValidationError("--since reads the API of a --config source") }
        }

        func run() throws {
            let input: AuditwatchApp.Backtest.Input =
                events.map { .file($0, threads: threads) }
                ?? .source(config: config!, name: source, since: since!.seconds)
            var backtest = AuditwatchApp.Backtest(input: input, config: config)
            backtest.rules = rules
            backtest.placeholders = placeholders
            backtest.output = output
            backtest.report = report
            try backtest.run(out: standardOutput)
        }
    }

    /// `auditwatch check`: verify the config, rules, notifiers and each source's key, sending nothing.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract:
                "Check the config, the rules, the notifiers' secrets and each source's admin key; sends no alert.",
            discussion:
                "Exit status 0 when everything works, 1 when a source or secret fails, 2 on config or rule errors."
        )

        @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "file"))
        var config = "auditwatch.yml"

        @Flag(name: .long, help: "Treat warnings (plain http to another machine, routes that send nowhere…) as errors.")
        var strict = false

        func run() throws {
            try ConfigCheck(config: config, strict: strict).run()
        }
    }
}
