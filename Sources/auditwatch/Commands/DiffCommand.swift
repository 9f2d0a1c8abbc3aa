import ArgumentParser
import AuditwatchApp
import AuditwatchCore

extension Auditwatch.Rules {
    /// `auditwatch rules diff`: the alerts a rule change adds, removes or changes, over fixture logs.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show what a rule change does: alerts that appear, disappear or change over the fixture logs.",
            discussion: """
                Compares the rules in PATH... (default: rules) with the same paths at git revision --base \
                (a path the revision lacks counts as empty), or with the rules in --against. The events are \
                --events (repeatable), or else every fixture log and every test's inline events in PATH... \
                A correlation group whose count or time moves shows as changed (~). Exit status 0; with \
                --exit-code, 1 when anything differs; 2 when the rules or git fail.
                """
        )

        @Argument(help: ArgumentHelp("The changed rules and tests (files or directories).", valueName: "path"))
        var paths: [String] = ["rules"]

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A git revision holding the rules before the change (e.g. origin/main).", valueName: "rev"))
        var base: String?

        @Option(name: .long, help: ArgumentHelp("A directory holding the rules before the change.", valueName: "dir"))
        var against: String?

        @Option(
            name: .long, help: ArgumentHelp("An event log to run both rule sets over (repeatable).", valueName: "file"))
        var events: [String] = []

        @Option(name: .long, help: "text, or markdown for a pull-request comment.")
        var format: DiffFormat = .text

        @Flag(name: .long, help: "Exit 1 when the change alters any alert.")
        var exitCode = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also write an HTML page charting alert volumes per rule before and after.", valueName: "file"))
        var report: String?

        func validate() throws {
            guard (base == nil) != (against == nil) else {
                throw ValidationError("give exactly one of --base REV or --against DIR")
            }
        }

        func run() throws {
            var diff = RuleDiff(paths: paths, baseline: base.map { .revision($0) } ?? .directory(against!))
            diff.events = events
            diff.format = format
            diff.report = report
            let diffs = try diff.run(out: standardOutput)
            if exitCode && diffs.contains(where: { !$0.entries.isEmpty }) { throw AppError.verdict }
        }
    }
}
