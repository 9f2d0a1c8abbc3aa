public import AuditwatchConfig
public import Foundation
import Logging
import Synchronization

/// Where every log line of a process goes (standard error by default): one writer behind one
/// mutex, so lines of different threads never interleave, each scrubbed of the known secrets
/// (`Redactor`, every form `SecretForms` knows) as the last step before it is written.
public final class LogOutput: Sendable {
    public let format: LogFormat
    let clock: @Sendable () -> Date
    private let write: @Sendable (String) -> Void
    private let redactor: Mutex<Redactor>

    public init(
        format: LogFormat, redactor: Redactor = Redactor(), clock: @escaping @Sendable () -> Date = Date.init,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.format = format
        self.clock = clock
        self.write = write
        self.redactor = Mutex(redactor)
    }

    /// Replaces the redaction (after secrets were resolved, or on reload).
    public func setRedaction(_ redactor: Redactor) {
        self.redactor.withLock { $0 = redactor }
    }

    /// Writes one rendered line (or block, a text diagnostic), redacted.
    func emit(_ line: String) {
        redactor.withLock { redactor in write(redactor.redact(line)) }
    }

    /// Runs `body` with the output held: lines other threads log meanwhile come after the lines
    /// `body` logs through the logger it is given (an alert's line before its delivery's, when the
    /// body commits the alert and logs it). The mutex is not recursive: the held logger collects
    /// its lines and they are written before the output is let go.
    func holding<T: Sendable>(_ handler: RedactingLogHandler, _ body: (Logger) throws -> T) throws -> T {
        try redactor.withLock { redactor throws -> T in
            let held = HeldLines()
            var local = handler
            local.held = held
            let result = try body(Logger(label: "auditwatch", factory: { _ in local }))
            for line in held.lines { write(redactor.redact(line)) }
            return result
        }
    }
}

/// Lines a held logger wrote, written out when the hold ends (it lives on one thread, inside
/// the hold; the mutex only makes that checkable).
final class HeldLines: Sendable {
    private let stored = Mutex<[String]>([])
    func append(_ line: String) { stored.withLock { $0.append(line) } }
    var lines: [String] { stored.withLock { $0 } }
}
