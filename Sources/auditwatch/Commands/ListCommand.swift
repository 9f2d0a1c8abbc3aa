import ArgumentParser
import AuditwatchApp

extension Auditwatch.Rules {
    /// `auditwatch rules list`: id, level, kind, title, the event types read, and file of every rule.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the loaded rules: id, level, kind, title, the event types each reads, and file.",
            discussion: """
                Building blocks (rules that never alert on their own, only through the correlations \
                on them) are marked [building block of …]; disabled rules [disabled].
                """
        )

        @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
        var paths: [String] = ["rules"]

        @Option(name: .long, help: "A table for people or JSON for scripts.")
        var format: ReportFormat = .text

        func run() throws {
            try RuleListing.list(paths, format: format, out: standardOutput)
        }
    }
}
