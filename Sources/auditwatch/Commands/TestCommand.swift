import ArgumentParser
import AuditwatchApp

extension Auditwatch.Rules {
    /// `auditwatch rules test`: run the tests kept next to the rules.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run rule tests: events in, the alerts expected out.",
            discussion: """
                Tests are `tests:` lists in test files (e.g. rules/tests/*.yml or tests/*.yml) or inline \
                in rule files. Without a path, `rules` and `tests` are read (those that exist). \
                Exit status: 0 all passed, 1 a test failed or no test ran (or coverage is incomplete \
                under --require-coverage), 2 the rules have errors.
                """
        )

        @Argument(
            help: ArgumentHelp("Rule and test files or directories (default: rules and tests).", valueName: "path"))
        var paths: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Only tests whose name contains this text (or matches it, with * wildcards).", valueName: "pattern"))
        var filter: String?

        @Option(name: .long, help: ArgumentHelp("Also write JUnit XML here, for CI systems.", valueName: "file"))
        var junit: String?

        @Option(
            name: .long,
            help: "Results as text, JSON, or text plus GitHub workflow commands (annotations on the failing tests).")
        var format: CheckFormat = .text

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Values of the rules' expand placeholders, as the team's runs use them (tests may pin their own).",
                valueName: "file"))
        var placeholders: String?

        @Flag(name: .long, help: "List rules no test makes fire and rules no test proves silent.")
        var coverage = false

        @Flag(name: .long, help: "Fail unless every rule is made to fire and proven silent by some test.")
        var requireCoverage = false

        func run() throws {
            var tests = RuleTestRun(paths: paths.isEmpty ? RuleTestRun.defaultPaths() : paths)
            tests.filter = filter
            tests.junit = junit
            tests.format = format
            tests.placeholders = placeholders
            tests.coverage = coverage
            tests.requireCoverage = requireCoverage
            try tests.run(out: standardOutput)
        }
    }
}
