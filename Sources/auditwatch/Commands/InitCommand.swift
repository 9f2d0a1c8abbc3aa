import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch init [DIR]`: a starter project to try auditwatch safely and keep rules in git.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a starter project: auditwatch.yml, an example rule with its tests, and a CI workflow.",
            discussion: """
                The config sends alerts to standard output (a `stdout` notifier) and reads one \
                organization whose Admin API key comes from the environment (OPENAI_ADMIN_KEY). \
                Existing files are never overwritten unless --force.
                """
        )

        @Argument(help: ArgumentHelp("The folder to write into (created when missing).", valueName: "dir"))
        var directory = "."

        @Flag(name: .long, help: "Overwrite files that already exist.")
        var force = false

        func run() throws {
            try ProjectInit(directory: directory, force: force).run(out: standardOutput)
        }
    }
}
