import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch alerts …`: what the state file holds.
    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts",
            abstract: "Inspect the alerts recorded in a state file.",
            subcommands: [List.self, Retry.self]
        )
    }
}

extension Auditwatch.Alerts {
    /// `auditwatch alerts list --state PATH [--status …]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List recorded alerts and their deliveries, oldest first.",
            discussion: """
                Text: one line per delivery (notifier, status, alert id, the alert), and one line with \
                notifier '-' and status 'recorded' for an alert that was sent nowhere (no route matched, \
                or a new source's first-poll backlog). jsonl: one alert JSON per alert, with its \
                "deliveries" (notifier, status, attempts, last_error).
                """
        )

        @OptionGroup var location: StateLocation

        @Option(name: .long, help: "Only deliveries with this status: pending, sent, failed or silenced.")
        var status: DeliveryStatusArgument?

        @Option(name: .long, help: "text (one line each) or jsonl (the alert JSON of `run`).")
        var output: AlertOutput = .text

        func run() throws {
            let target = try location.existingTarget()
            try AlertListing.list(
                state: target.path, password: target.password, status: status?.value, output: output,
                out: standardOutput)
        }
    }

    /// `auditwatch alerts retry ID|--all-failed`: put dead letters back in the queue.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Queue failed deliveries again (they are sent by the next run or the running service)."
        )

        @Argument(help: "The alert id whose failed deliveries to retry.")
        var id: String?

        @Flag(name: .long, help: "Retry every failed delivery.")
        var allFailed = false

        @OptionGroup var location: StateLocation

        func validate() throws {
            guard (id == nil) == allFailed else { throw ValidationError("give an alert id or --all-failed") }
        }

        func run() throws {
            let target = try location.existingTarget()
            try AlertListing.retry(state: target.path, password: target.password, id: id)
        }
    }
}
