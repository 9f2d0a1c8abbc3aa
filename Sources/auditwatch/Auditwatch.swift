import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// The `auditwatch` command: wiring only; the work lives in the libraries.
@main
struct Auditwatch: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "auditwatch",
        abstract: "Detection rules over the OpenAI organization audit log.",
        discussion: "Runs Sigma-style YAML rules over audit-log events and reports the alerts they raise.",
        version: version,
        subcommands: [
            RunCommand.self, RulesCommand.self, SchemaCommand.self, AlertsCommand.self, NotifyCommand.self,
            FetchCommand.self, BacktestCommand.self, CheckCommand.self, ReloadCommand.self, GenerateCommand.self,
            InitCommand.self, ConfigCommand.self, MigrateCommand.self, SilenceCommand.self,
        ]
    )

    /// A parent can start us with signals blocked (a blocked mask survives exec): SIGTERM would
    /// then never arrive. Unblock everything before any thread exists, then run the command.
    static func main() async {
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        await main(nil)
    }
}
