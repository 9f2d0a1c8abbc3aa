public import AuditwatchCore
public import AuditwatchSources

extension DiagnosticSink {
    /// A skipped input line, as the located warning the renderer prints (`file:3:1: warning: …`).
    public func skipped(_ problem: InputProblem) {
        var diagnostic = problem.diagnostic
        diagnostic.severity = .warning
        report([diagnostic], SourceFiles())
    }
}

/// Reads an events file whole (explain, diff); a problem that stops the reading is an `AppError.input`.
public enum EventFile {
    public static func read(_ path: String, warn: ((InputProblem) -> Void)? = nil) throws(AppError) -> [Event] {
        var events: [Event] = []
        do throws(InputProblem) {
            try EventReader(path: path).read(onProblem: warn ?? { _ in }) { events.append($0) }
        } catch {
            throw .input(error)
        }
        return events
    }
}
