public import AuditwatchCore
public import AuditwatchService
public import Logging

/// Where a command's findings and notes go: standard error as rendered text (every one-shot
/// command), or the service's log (the running service, whose JSON mode needs every line JSON).
public struct DiagnosticSink: Sendable {
    /// Located findings with the files they point into.
    public let report: @Sendable ([Diagnostic], SourceFiles) -> Void
    /// A plain line ("auditwatch: 2 errors in the rules; …"), with the level it has in a log.
    public let note: @Sendable (LogThreshold, String) -> Void

    public init(
        report: @escaping @Sendable ([Diagnostic], SourceFiles) -> Void,
        note: @escaping @Sendable (LogThreshold, String) -> Void
    ) {
        self.report = report
        self.note = note
    }

    public static let standardError = DiagnosticSink(
        report: { diagnostics, sources in StandardError.line(DiagnosticRenderer(sources: sources).text(diagnostics)) },
        note: { _, text in StandardError.line(text) })

    public static func log(_ log: Logger) -> DiagnosticSink {
        DiagnosticSink(
            report: { diagnostics, sources in log.report(diagnostics, sources: sources) },
            note: { level, text in
                // In JSON the "auditwatch: " prefix of a terminal line says nothing.
                let message =
                    log.outputFormat == .json && text.hasPrefix("auditwatch: ") ? String(text.dropFirst(12)) : text
                log.log(level.level, message, [])
            })
    }

    /// Every part of `findings`, in order.
    public func emit(_ findings: Findings) {
        for part in findings.parts {
            switch part {
            case .diagnostics(let diagnostics): report(diagnostics, findings.sources)
            case .note(let level, let text): note(level, text)
            }
        }
    }
}
