import AuditwatchCore
import Foundation

/// Structured log lines on standard error, as text or JSON, every one scrubbed of secrets.
/// In JSON every line is one object: `time`, `level`, `msg`, then the fields, each key once.
/// Every writer of the service goes through one log, so lines never interleave.
public final class ServiceLog: @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case debug, info, warning, error
        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public let format: Format
    private let minimum: Level
    // Recursive: `holding` keeps other threads' lines out while its body logs.
    private let lock = NSRecursiveLock()
    private var redact: (String) -> String
    private let write: (String) -> Void
    private let clock: () -> Date

    public init(
        format: Format = .text, minimum: Level = .info, redact: @escaping (String) -> String = { $0 },
        clock: @escaping () -> Date = Date.init, write: @escaping (String) -> Void
    ) {
        self.format = format
        self.minimum = minimum
        self.redact = redact
        self.clock = clock
        self.write = write
    }

    /// Replaces the redaction (after secrets were resolved, or on reload).
    public func setRedaction(_ redact: @escaping (String) -> String) {
        lock.lock(); defer { lock.unlock() }
        self.redact = redact
    }

    /// Runs `body` with the log held: lines other threads write meanwhile come after its lines
    /// (an alert's line before its delivery's, when the body commits the alert and logs it).
    public func holding<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    public func log(_ level: Level, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= minimum else { return }
        lock.lock(); defer { lock.unlock() }
        let time = UTCTime.iso8601(Int64(clock().timeIntervalSince1970))
        write(redact(ServiceLog.line(format: format, time: time, level: level, message: message, fields: fields)))
    }

    /// One line; in text without the `event` and `outcome` fields; in JSON a field whose key is taken (`time`, `level`, `msg`, or an earlier field)
    /// gets a `_2`, `_3`… suffix, so no object has a key twice.
    static func line(format: Format, time: String, level: Level, message: String, fields: [(String, String)]) -> String
    {
        switch format {
        case .text:
            // `event` and `outcome` are for machines; a text line's message already says them.
            let extras = fields.filter { $0.0 != "event" && $0.0 != "outcome" }.map {
                " \($0.0)=" + ServiceLog.quoteIfNeeded(AlertFormatter.printable($0.1))
            }.joined()
            return "\(time) \(level.rawValue.uppercased()) \(AlertFormatter.printable(message))\(extras)"
        case .json:
            var taken: Set<String> = ["time", "level", "msg"]
            var object = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":" + JSONWriter.quoted(message)
            for (key, value) in fields {
                var unique = key, suffix = 1
                while taken.contains(unique) { suffix += 1; unique = "\(key)_\(suffix)" }
                taken.insert(unique)
                object += "," + JSONWriter.quoted(unique) + ":" + JSONWriter.quoted(value)
            }
            return object + "}"
        }
    }

    public func debug(_ message: String, _ fields: [(String, String)] = []) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }

    /// Located findings (of a config, rules, a reload): in text rendered as every command shows
    /// them (source line and caret), in JSON one line each with `event: diagnostic`.
    public func report(_ diagnostics: [Diagnostic], sources: SourceFiles) {
        guard !diagnostics.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        guard format == .json else {
            write(redact(DiagnosticRenderer(sources: sources).text(diagnostics)))
            return
        }
        for diagnostic in diagnostics {
            var fields: [(String, String)] = [("event", "diagnostic"), ("severity", diagnostic.severity.rawValue)]
            if let location = diagnostic.location { fields.append(("location", location.description)) }
            if let rule = diagnostic.ruleID { fields.append(("rule", rule)) }
            let level: Level =
                switch diagnostic.severity {
                case .error: .error
                case .warning: .warning
                case .note: .info
                }
            log(level, diagnostic.message, fields)
        }
    }

    static func quoteIfNeeded(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || value.isEmpty
            ? JSONWriter.quoted(value) : value
    }
}
