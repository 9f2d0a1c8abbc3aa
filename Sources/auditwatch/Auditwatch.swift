import ArgumentParser
import AuditwatchApp

#if canImport(Glibc)
    import Glibc
#endif

/// The `auditwatch` command: options and validation only; the work lives in `AuditwatchApp`.
@main
struct Auditwatch: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "auditwatch",
        abstract: "Detection rules over the OpenAI organization audit log.",
        discussion: "Runs Sigma-style YAML rules over audit-log events and reports the alerts they raise.",
        version: version,
        subcommands: [
            Run.self, Rules.self, Schema.self, Alerts.self, Notify.self, Fetch.self, Backtest.self, Check.self,
            Reload.self, Generate.self, Init.self, Config.self, Migrate.self, SilenceCommand.self,
            Cluster.self,
        ]
    )

    /// A parent can start us with signals blocked (a blocked mask survives exec): SIGTERM would
    /// then never arrive. Unblock everything before any thread exists, then run the command; an
    /// `AppError` goes through the reporter, anything else (usage, help) through ArgumentParser.
    static func main() async {
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as AppError {
            let status = ErrorReporter().report(error)
            exit(withError: status == 0 ? nil : ExitCode(status))
        } catch {
            exit(withError: error)
        }
    }
}
