import ArgumentParser
import AuditwatchConfig
import AuditwatchCore

extension Auditwatch {
    /// `auditwatch config …`: about `auditwatch.yml` itself.
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "About auditwatch.yml.",
            subcommands: [Reference.self]
        )
    }
}

extension Auditwatch.Config {
    /// `auditwatch config reference`: every key, with its type and default (docs/config.md).
    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reference",
            abstract: "Print every key of auditwatch.yml with its type and default, as Markdown (docs/config.md)."
        )

        func run() throws {
            print(ConfigReference.markdown(), terminator: "")
        }
    }
}
