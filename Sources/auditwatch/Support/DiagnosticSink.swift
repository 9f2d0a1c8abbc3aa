import AuditwatchCore
import AuditwatchService
import Logging

/// Where a command's findings and notes go: standard error as rendered text (every one-shot
/// command), or the service's log (the running service, whose JSON mode needs every line JSON).
struct DiagnosticSink: Sendable {
    /// Located findings with the files they point into.
    let report: @Sendable ([Diagnostic], SourceFiles) -> Void
    /// A plain line ("auditwatch: 2 errors in the rules; …"), with the level it has in a log.
    let note: @Sendable (LogThreshold, String) -> Void

    static let standardError = DiagnosticSink(
        report: { diagnostics, sources in StandardError.line(DiagnosticRenderer(sources: sources).text(diagnostics)) },
        note: { _, text in StandardError.line(text) })

    static func log(_ log: Logger) -> DiagnosticSink {
        DiagnosticSink(
            report: { diagnostics, sources in log.report(diagnostics, sources: sources) },
            note: { level, text in
                // In JSON the "auditwatch: " prefix of a terminal line says nothing.
                let message =
                    log.outputFormat == .json && text.hasPrefix("auditwatch: ") ? String(text.dropFirst(12)) : text
                log.log(level.level, message, [])
            })
    }
}
