import ArgumentParser
import AuditwatchApp

extension Auditwatch.Rules {
    /// `auditwatch rules validate`: load rules and report every problem.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check rule files and report every problem with its file, line and column.",
            discussion: "Exit status: 0 when every rule loads, 2 when any has an error."
        )

        @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
        var paths: [String] = ["rules"]

        @Option(
            name: .long,
            help: "Diagnostics as text, as JSON (for editors), or as GitHub workflow commands (annotations).")
        var format: CheckFormat = .text

        @Flag(name: .long, help: "Treat warnings (undocumented types and fields, unused selections) as errors.")
        var strict = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Values of the rules' expand placeholders (placeholders: {name: [values]}).", valueName: "file"))
        var placeholders: String?

        func run() throws {
            var validation = RuleValidation(paths: paths)
            validation.format = format
            validation.strict = strict
            validation.placeholders = placeholders
            try validation.run(out: standardOutput)
        }
    }
}
