import ArgumentParser
import AuditwatchCore
import AuditwatchNotify
import Foundation

/// `auditwatch reload`: ask the running service to reload its rules, routes and notifiers.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the running service (run --config) reload rules, calendars, routes and notifiers, as SIGHUP does.",
        discussion: "The service keeps its running rules when the new ones have errors, and logs them located."
    )

    @Option(name: .long, help: ArgumentHelp("The service's config file (its pid file sits next to the state file).", valueName: "file"))
    var config = "auditwatch.yml"

    func run() throws {
        let pidFile = try LoadedConfig.load(config).config.statePath + ".pid"
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            StandardError.line("auditwatch: no running service found (no pid file \(pidFile))")
            throw ExitCode(1)
        }
        guard kill(pid, SIGHUP) == 0 else {
            StandardError.line("auditwatch: could not signal process \(pid): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        StandardError.line("auditwatch: asked process \(pid) to reload")
    }
}
