import ArgumentParser
import AuditwatchCore
import AuditwatchNotify
import AuditwatchState
import Foundation

/// `auditwatch alerts …`: what the state file holds.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Inspect the alerts recorded in a state file.",
        subcommands: [AlertsListCommand.self, AlertsRetryCommand.self]
    )
}

/// `auditwatch alerts list --state PATH [--status …]`.
struct AlertsListCommand: ParsableCommand {
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
        let path = try location.existingPath()
        let alerts: [Alert]
        let deliveries: [StoredAlert]
        do throws(StateError) {
            let store = try StoreLocation(path).open()
            alerts = try store.allAlerts()
            deliveries = try store.alerts(status: status?.value)
        } catch {
            StandardError.line("auditwatch: error: \(error)")
            throw ExitCode(1)
        }
        let byAlert = Dictionary(grouping: deliveries, by: \.alert.id)
        let stdout = LineWriter(descriptor: 1)
        for alert in alerts {
            let own = byAlert[alert.id] ?? []
            // Under --status only alerts with such a delivery; without it every recorded alert.
            if own.isEmpty && status != nil { continue }
            switch output {
            case .jsonl:
                let listed = own.map { entry in
                    "{\"notifier\":\(JSONWriter.quoted(entry.sink)),\"status\":\(JSONWriter.quoted(entry.status.rawValue)),"
                        + "\"attempts\":\(entry.attempts),\"last_error\":\(entry.lastError.map(JSONWriter.quoted) ?? "null")}"
                }
                stdout.line(
                    String(AlertFormatter.jsonLine(alert).dropLast())
                        + ",\"deliveries\":[\(listed.joined(separator: ","))]}")
            case .text:
                if own.isEmpty {
                    stdout.line(
                        "\("-".padding(10)) \("recorded".padding(8)) \(alert.id) \(AlertFormatter.textLine(alert))")
                }
                for entry in own {
                    let error = entry.lastError.map { "  (\(AlertFormatter.printable($0)))" } ?? ""
                    stdout.line(
                        "\(entry.sink.padding(10)) \(entry.status.rawValue.padding(8)) \(alert.id) \(AlertFormatter.textLine(alert))\(error)"
                    )
                }
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

/// `--state PATH` or `--config FILE` (whose `state` is used).
struct StateLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The state file, or a postgresql:// URL.", valueName: "path"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("auditwatch.yml, to use its state file.", valueName: "file"))
    var config: String?

    func validate() throws {
        guard (state == nil) != (config == nil) else { throw ValidationError("give --state PATH or --config FILE") }
    }

    func path() throws -> String {
        if let state { return state }
        return try LoadedConfig.load(config!).config.statePath
    }

    /// The path of a state file that must exist already: reading commands never create one,
    /// so a mistyped path is an error rather than an empty listing.
    func existingPath() throws -> String {
        let path = try path()
        guard StoreLocation.isDatabaseURL(path) || FileManager.default.fileExists(atPath: path) else {
            StandardError.line(
                "auditwatch: error: no state file at \(path) (a mistyped path, or nothing has run with it yet)")
            throw ExitCode(1)
        }
        return path
    }
}

/// `auditwatch alerts retry ID|--all-failed`: put dead letters back in the queue.
struct AlertsRetryCommand: ParsableCommand {
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
        let path = try location.existingPath()
        let count: Int
        do throws(StateError) {
            count = try StoreLocation(path).open().retryFailed(alertID: id)
        } catch {
            StandardError.line("auditwatch: error: \(error)")
            throw ExitCode(1)
        }
        StandardError.line("auditwatch: \(count) deliver\(count == 1 ? "y" : "ies") queued again")
        if count == 0 && id != nil { throw ExitCode(1) }
    }
}
