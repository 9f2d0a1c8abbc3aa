import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch notify test NAME`: the first thing to run after adding a webhook.
    struct Notify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify",
            abstract: "Work with the notifiers of auditwatch.yml.",
            subcommands: [Test.self]
        )
    }
}

extension Auditwatch.Notify {
    /// `auditwatch notify test NAME`: a sample alert through one notifier.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Send a sample alert through one notifier and show exactly what the target answered.",
            discussion: "Exit status 0 when the target accepted it, 1 otherwise. Nothing is written to the state file."
        )

        @Argument(help: "The notifier's name in auditwatch.yml.")
        var name: String

        @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "file"))
        var config = "auditwatch.yml"

        func run() throws {
            try NotifierTest(name: name, config: config).run(out: standardOutput)
        }
    }
}
