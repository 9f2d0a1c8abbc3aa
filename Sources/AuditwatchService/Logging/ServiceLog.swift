import AuditwatchCore
import Foundation

/// Structured log lines on standard error, as text or JSON, every one scrubbed of secrets.
public final class ServiceLog: @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case debug, info, warning, error
        public static func < (lhs: Level, rhs: Level) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
    }

    private let format: Format
    private let minimum: Level
    private let lock = NSLock()
    private var redact: (String) -> String
    private let write: (String) -> Void
    private let clock: () -> Date

    public init(format: Format = .text, minimum: Level = .info, redact: @escaping (String) -> String = { $0 },
                clock: @escaping () -> Date = Date.init, write: @escaping (String) -> Void) {
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

    public func log(_ level: Level, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= minimum else { return }
        lock.lock(); defer { lock.unlock() }
        let time = UTCTime.iso8601(Int64(clock().timeIntervalSince1970))
        let line: String
        switch format {
        case .text:
            let extras = fields.map { " \($0.0)=" + ServiceLog.quoteIfNeeded(AlertFormatter.printable($0.1)) }.joined()
            line = "\(time) \(level.rawValue.uppercased()) \(AlertFormatter.printable(message))\(extras)"
        case .json:
            var object = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":" + JSONWriter.quoted(message)
            for (key, value) in fields { object += "," + JSONWriter.quoted(key) + ":" + JSONWriter.quoted(value) }
            line = object + "}"
        }
        write(redact(line))
    }

    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }

    static func quoteIfNeeded(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || value.isEmpty ? JSONWriter.quoted(value) : value
    }
}
