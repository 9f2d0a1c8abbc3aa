import ArgumentParser
import AuditwatchConfig
import AuditwatchCore

/// `auditwatch config …`: about `auditwatch.yml` itself.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "About auditwatch.yml.",
        subcommands: [ConfigReferenceCommand.self]
    )
}

/// `auditwatch config reference`: every key, with its type and default (docs/config.md).
struct ConfigReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Print every key of auditwatch.yml with its type and default, as Markdown (docs/config.md)."
    )

    func run() throws {
        print(ConfigReference.markdown(), terminator: "")
    }
}
