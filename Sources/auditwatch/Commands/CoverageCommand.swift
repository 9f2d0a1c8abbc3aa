import ArgumentParser
import AuditwatchApp

extension Auditwatch.Rules {
    /// `auditwatch rules coverage --types`: the documented event types no rule reads.
    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "List the documented event types no enabled rule reads.",
            discussion: """
                Which rules the tests exercise is `rules test --coverage`. Exit status 0; with \
                --types, names only (one a line, for scripts).
                """
        )

        @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
        var paths: [String] = ["rules"]

        @Flag(name: .long, help: "Print only the unread types, one a line.")
        var types = false

        func run() throws {
            try RuleListing.unreadTypes(paths, names: types, out: standardOutput)
        }
    }
}
