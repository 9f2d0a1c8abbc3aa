public import AuditwatchCore
import FoundationEssentials
public import Logging

/// The service's swift-log handler: each event as one text or JSON line (`LogLine`) on the
/// process's `LogOutput`, redacted there. Value semantics as swift-log asks: level and
/// metadata belong to this copy, the output is shared.
public struct RedactingLogHandler: LogHandler {
    public let output: LogOutput
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// Set inside `LogOutput.holding`: lines go there, written when the hold ends.
    var held: HeldLines?

    public init(output: LogOutput, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.output = output
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let own = event.metadata { fields.merge(own) { _, new in new } }
        let time = UTCTime.iso8601(Int64(output.clock().timeIntervalSince1970))
        let line = LogLine.render(
            format: output.format, time: time, level: event.level, message: event.message.description,
            fields: fields)
        if let held { held.append(line) } else { output.emit(line) }
    }
}

extension Logger {
    /// A logger writing to `output` at `threshold` and above.
    public static func service(_ output: LogOutput, threshold: LogThreshold = .info) -> Logger {
        Logger(label: "auditwatch") { _ in RedactingLogHandler(output: output, level: threshold.level) }
    }

    /// The format of the output this logger writes to (text when it is not the service's handler).
    public var outputFormat: LogFormat { (handler as? RedactingLogHandler)?.output.format ?? .text }

    /// Runs `body` with the output held (`LogOutput.holding`): what `body` logs through the logger
    /// it is given comes before any line another thread logs meanwhile.
    public func holding<T: Sendable>(_ body: (Logger) throws -> T) throws -> T {
        guard let handler = handler as? RedactingLogHandler else { return try body(self) }
        return try handler.output.holding(handler, body)
    }

    /// Located findings (of a config, rules, a reload): in text rendered as every command shows
    /// them (source line and caret), in JSON one line each with `event: diagnostic`.
    public func report(_ diagnostics: [Diagnostic], sources: SourceFiles) {
        for diagnostic in diagnostics {
            var fields: Logger.Metadata = ["event": "diagnostic", "severity": "\(diagnostic.severity.rawValue)"]
            if let location = diagnostic.location { fields["location"] = "\(location.description)" }
            if let rule = diagnostic.ruleID { fields["rule"] = "\(rule)" }
            if outputFormat == .text {
                fields[LogLine.renderedKey] = "\(DiagnosticRenderer(sources: sources).text(diagnostic))"
            }
            let level: Logger.Level =
                switch diagnostic.severity {
                case .error: .error
                case .warning: .warning
                case .note: .info
                }
            log(level: level, "\(diagnostic.message)", metadata: fields)
        }
    }
}
