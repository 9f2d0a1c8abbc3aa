public import ArgumentParser
import AuditwatchApp
import AuditwatchCore
import AuditwatchService
import AuditwatchState
import Foundation

extension AlertOutput: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension CheckFormat: ExpressibleByArgument {}
extension DiffFormat: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
extension LogThreshold: ExpressibleByArgument {}

/// A time given as a duration back from now (`24h`, `30d`) or as ISO 8601.
struct TimeArgument: ExpressibleByArgument {
    let seconds: Int64
    init?(argument: String) {
        if let ago = TimeSpan.parse(argument).seconds {
            seconds = Int64(Date().timeIntervalSince1970) - ago
        } else if let instant = UTCTime.parse(argument) {
            seconds = instant
        } else {
            return nil
        }
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

    /// The state file, which must exist already (reading commands never create one).
    /// Silences in this state (`existing`: which must exist already), with the config's `state_password`.
    func silenceAdmin(existing: Bool) throws -> SilenceAdmin {
        let target = existing ? try existingTarget() : try StateTarget.resolve(state: state, config: config)
        var admin = SilenceAdmin(statePath: target.path)
        admin.password = target.password
        return admin
    }

    /// The state (which must exist already) with the config's `state_password`.
    func existingTarget() throws -> StateTarget {
        let target = try StateTarget.resolve(state: state, config: config)
        _ = try AlertListing.existing(target.path)
        return target
    }
}

/// Standard output, for the app layer's results.
var standardOutput: LineWriter { LineWriter(descriptor: 1) }
