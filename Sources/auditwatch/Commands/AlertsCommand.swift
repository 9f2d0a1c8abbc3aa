import ArgumentParser
import AuditwatchCore
import AuditwatchState

/// `auditwatch alerts …`: what the state file holds.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Inspect the alerts recorded in a state file.",
        subcommands: [AlertsListCommand.self]
    )
}

/// `auditwatch alerts list --state PATH [--status …]`.
struct AlertsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded alerts and their deliveries, oldest first."
    )

    @Option(name: .long, help: ArgumentHelp("The state file.", valueName: "path"))
    var state: String

    @Option(name: .long, help: "Only deliveries with this status: pending, sent or failed.")
    var status: DeliveryStatusArgument?

    @Option(name: .long, help: "text (one line each) or jsonl (the alert JSON of `run`).")
    var output: AlertOutput = .text

    func run() throws {
        let stored: [StoredAlert]
        do {
            stored = try StateStore(path: state).alerts(status: status?.value)
        } catch {
            StandardError.line("auditwatch: error: \(error)")
            throw ExitCode(1)
        }
        let stdout = OutputStream(descriptor: 1)
        for entry in stored {
            switch output {
            case .jsonl: stdout.line(AlertFormatter.jsonLine(entry.alert))
            case .text:
                let error = entry.lastError.map { "  (\(AlertFormatter.printable($0)))" } ?? ""
                stdout.line("\(entry.sink.padding(10)) \(entry.status.rawValue.padding(8)) \(AlertFormatter.textLine(entry.alert))\(error)")
            }
        }
        stdout.flush()
    }
}

/// `--status` values.
struct DeliveryStatusArgument: ExpressibleByArgument {
    let value: DeliveryStatus
    init?(argument: String) {
        guard let status = DeliveryStatus(rawValue: argument) else { return nil }
        value = status
    }
    static var allValueStrings: [String] { DeliveryStatus.allCases.map(\.rawValue) }
}
