public import AuditwatchConfig
public import Logging

extension Logger {
    /// Logs `message` with `fields` as metadata (a key given twice keeps its last value).
    public func log(_ level: Logger.Level, _ message: String, _ fields: [(String, String)]) {
        let metadata = Logger.Metadata(fields.map { ($0.0, .string($0.1)) }, uniquingKeysWith: { _, last in last })
        log(level: level, "\(message)", metadata: metadata)
    }

    public func debug(_ message: String, _ fields: [(String, String)]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [(String, String)]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)]) { log(.error, message, fields) }

    /// Replaces the secrets this logger's output redacts (after they were resolved, or on reload).
    public func redacting(_ redactor: Redactor) {
        (handler as? RedactingLogHandler)?.output.setRedaction(redactor)
    }
}
