import AuditwatchCore
import AuditwatchService
public import AuditwatchSources

/// Why a command stopped, as a value: the CLI's reporter renders it (through `DiagnosticRenderer`
/// for located problems) and exits with `exitCode`. The app layer never prints an error or exits.
public enum AppError: Error, Sendable {
    /// Located findings that stop the command: errors in the rules, the config, a placeholders file.
    case diagnostics(Findings)
    /// An events file that cannot be read, or a malformed line under `--strict`.
    case input(InputProblem)
    /// The command names something its rules or config lack, or has nothing to work on
    /// (`auditwatch: no notifier 'x' in auditwatch.yml; did you mean …`).
    case usage(String)
    /// An outside tool or repository the command needs does not work (git, tar, a revision).
    case setup(String)
    /// The state file is missing, held by another process, or cannot be read or written.
    case state(String)
    /// A source's API failed (`auditwatch: error: …`).
    case source(String)
    /// The work ran and failed: a file not written, a service that does not answer, a lookup
    /// that found nothing (`auditwatch: …`).
    case failure(String)
    /// The command's own output already says what failed (a test, an explanation, a notifier).
    case verdict
    /// Already said through the service's log, in its format; only the exit status is left.
    case reported(exitCode: Int32)

    /// The process's exit status: 2 for what a person must fix before anything runs
    /// (rules, config, arguments, setup), 1 for what failed while running.
    public var exitCode: Int32 {
        switch self {
        case .diagnostics, .usage, .setup: 2
        case .input, .state, .source, .failure, .verdict: 1
        case .reported(let code): code
        }
    }

    /// What the user reads: located diagnostics and plain lines, in order.
    public var findings: Findings {
        switch self {
        case .diagnostics(let findings): findings
        case .input(let problem): Findings(diagnostics: [problem.diagnostic])
        case .usage(let message), .setup(let message), .failure(let message):
            Findings(note: .error, "auditwatch: " + message)
        case .state(let message), .source(let message): Findings(note: .error, "auditwatch: error: " + message)
        case .verdict, .reported: Findings()
        }
    }
}
