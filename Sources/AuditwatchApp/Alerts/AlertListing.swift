import AuditwatchConfig
public import AuditwatchCore
import AuditwatchService
import AuditwatchState
import Foundation

/// `auditwatch alerts list` and `alerts retry`: what a state file holds, and dead letters queued again.
public enum AlertListing {
    /// The state file of `--state PATH`, or of `--config FILE`'s `state`.
    public static func statePath(
        state: String?, config: String?, sink: DiagnosticSink = .standardError
    ) throws(AppError)
        -> String
    {
        if let state { return state }
        return try LoadedConfig.load(config!, sink: sink).config.statePath
    }

    /// A state file that must exist already: reading commands never create one, so a mistyped
    /// path is an error rather than an empty listing.
    public static func existing(_ path: String) throws(AppError) -> String {
        guard StoreLocation.isDatabaseURL(path) || FileManager.default.fileExists(atPath: path) else {
            throw .state("no state file at \(path) (a mistyped path, or nothing has run with it yet)")
        }
        return path
    }

    /// Every recorded alert, oldest first, with its deliveries (only those with `status` when given).
    public static func list(
        state path: String, password: String? = nil, status: DeliveryStatus?, output: AlertOutput,
        out: any LineOutput
    )
        throws(AppError)
    {
        let alerts: [Alert]
        let deliveries: [StoredAlert]
        do throws(StateError) {
            let store = try StoreLocation(path).open(password: password)
            alerts = try store.allAlerts()
            deliveries = try store.alerts(status: status)
        } catch {
            throw .state("\(error)")
        }
        let byAlert = Dictionary(grouping: deliveries, by: \.alert.id)
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
                out.line(
                    String(AlertFormatter.jsonLine(alert).dropLast())
                        + ",\"deliveries\":[\(listed.joined(separator: ","))]}")
            case .text:
                if own.isEmpty {
                    out.line(
                        "\("-".padding(10)) \("recorded".padding(8)) \(alert.id) \(AlertFormatter.textLine(alert))")
                }
                for entry in own {
                    let error = entry.lastError.map { "  (\(AlertFormatter.printable($0)))" } ?? ""
                    out.line(
                        "\(entry.sink.padding(10)) \(entry.status.rawValue.padding(8)) \(alert.id) \(AlertFormatter.textLine(alert))\(error)"
                    )
                }
            }
        }
        out.flush()
    }

    /// Queues the failed deliveries of `id` (or all) again; naming an alert with none fails.
    public static func retry(
        state path: String, password: String? = nil, id: String?, sink: DiagnosticSink = .standardError
    ) throws(AppError) {
        let count: Int
        do throws(StateError) {
            count = try StoreLocation(path).open(password: password).retryFailed(alertID: id)
        } catch {
            throw .state("\(error)")
        }
        sink.note(.info, "auditwatch: \(count) deliver\(count == 1 ? "y" : "ies") queued again")
        if count == 0 && id != nil { throw .verdict }
    }
}
