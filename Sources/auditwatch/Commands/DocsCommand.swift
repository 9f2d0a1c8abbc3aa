import ArgumentParser
import AuditwatchApp

extension Auditwatch.Rules {
    /// `auditwatch rules docs`: the Markdown catalog of the rules (docs/rules.md is it for the pack).
    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs",
            abstract: "Write the rules' catalog as Markdown: one section per rule, and the event types each reads.",
            discussion: "Exit status: 0 written, 1 the output file cannot be written, 2 the rules have errors."
        )

        @Argument(help: ArgumentHelp("Rule and test files or directories.", valueName: "path"))
        var paths: [String] = ["rules"]

        @Option(name: .long, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
        var output: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Values of the rules' expand placeholders (the catalog shows the pack's defaults without it).",
                valueName: "file"))
        var placeholders: String?

        func run() throws {
            try RuleListing.catalog(paths, placeholders: placeholders, output: output, out: standardOutput)
        }
    }
}
