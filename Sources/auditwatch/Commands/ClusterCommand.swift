import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch cluster …`: replicas sharing a PostgreSQL state.
    struct Cluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "See the replicas sharing a PostgreSQL state and who holds which organization.",
            subcommands: [Status.self])
    }
}

extension Auditwatch.Cluster {
    /// `auditwatch cluster status --config F [--output json]`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Replicas (last seen), each organization's holder, token, lease age and expiry, and its lag.")

        @Option(name: .long, help: ArgumentHelp("auditwatch.yml, whose state and sources to show.", valueName: "file"))
        var config: String

        @Option(name: .long, help: "text or json.")
        var output: StatusOutput = .text

        enum StatusOutput: String, ExpressibleByArgument { case text, json }

        func run() throws {
            try ClusterStatus.run(config: config, json: output == .json, out: standardOutput)
        }
    }
}
