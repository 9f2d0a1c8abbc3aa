import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch reload`: ask the running service to reload its rules, routes and notifiers.
    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reload",
            abstract:
                "Make the running service (run --config) reload rules, calendars, routes and notifiers, as SIGHUP does.",
            discussion: """
                Waits for the service's answer (it reloads between polls) and reports it: exit 0 when it \
                reloaded; exit 1 when it refused (it keeps its running rules, routes and notifiers), with \
                the located problems; exit 1 when no service answers within --wait seconds. Only a live \
                auditwatch process that holds the config's state file is signalled (its lock file names \
                it), never whatever process a stale pid file names.
                """
        )

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The service's config file (its lock and pid files sit next to the state file).", valueName: "file"))
        var config = "auditwatch.yml"

        @Option(name: .long, help: ArgumentHelp("How long to wait for the service's answer.", valueName: "seconds"))
        var wait = 60

        func run() throws {
            try ReloadRequest(config: config, wait: wait).run()
        }
    }
}
