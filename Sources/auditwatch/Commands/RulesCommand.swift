import ArgumentParser

/// `auditwatch rules …`: work on rule files.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check and list detection rules.",
        subcommands: [
            ValidateCommand.self, ListCommand.self, ExplainCommand.self, TestCommand.self, DiffCommand.self,
            DocsCommand.self,
            CoverageCommand.self,
        ]
    )
}
