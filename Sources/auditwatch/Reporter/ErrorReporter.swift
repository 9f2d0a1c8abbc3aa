import AuditwatchApp

/// The one place an error reaches the user: every `AppError` is rendered through its sink
/// (located problems by `DiagnosticRenderer`, the rest as plain lines) and becomes the exit status.
/// The one-shot commands report to standard error; the service reports through its log.
struct ErrorReporter {
    var sink: DiagnosticSink = .standardError

    /// Says `error` and returns the exit status it means.
    func report(_ error: AppError) -> Int32 {
        sink.emit(error.findings)
        return error.exitCode
    }
}
