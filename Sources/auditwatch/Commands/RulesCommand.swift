import ArgumentParser

extension Auditwatch {
    /// `auditwatch rules …`: work on rule files.
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Check and list detection rules.",
            subcommands: [
                Validate.self, List.self, Explain.self, Test.self, Diff.self, Docs.self, Coverage.self,
            ]
        )
    }
}
