import ArgumentParser
import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
import AuditwatchState
import Foundation

/// `auditwatch reload`: ask the running service to reload its rules, routes and notifiers.
struct ReloadCommand: ParsableCommand {
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
        let statePath = try LoadedConfig.load(config).config.statePath
        let pid = try holder(of: statePath)
        // File times have a coarser clock than Date(): allow for it, and never count an answer
        // written before this request.
        let asked = Date().addingTimeInterval(-0.01)
        try? FileManager.default.removeItem(atPath: ReloadOutcome.path(state: statePath))
        guard kill(pid, SIGHUP) == 0 else {
            StandardError.line("auditwatch: could not signal process \(pid): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        StandardError.line("auditwatch: asked process \(pid) to reload")
        let deadline = Date().addingTimeInterval(Double(max(0, wait)))
        var outcome: ReloadOutcome?
        while outcome == nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            outcome = ReloadOutcome.read(state: statePath, after: asked)
        }
        guard let outcome else {
            StandardError.line(
                "auditwatch: process \(pid) did not answer within \(wait)s; its log tells whether it reloaded")
            throw ExitCode(1)
        }
        if outcome.ok {
            StandardError.line(
                "auditwatch: reloaded: \(outcome.rules ?? 0) rules and correlations, \(outcome.notifiers ?? 0) notifiers"
            )
            return
        }
        StandardError.line(
            "auditwatch: the reload failed; the running rules, routes and notifiers stay in force. The problems:")
        // The same files, loaded here, show the same located problems (against no state file).
        _ = try? ConfiguredService.load(
            config, stateOverride: ":memory:", refusal: "the service keeps its running rules", log: { _ in })
        throw ExitCode(1)
    }

    /// The live auditwatch process on this host that holds the state's lock.
    private func holder(of statePath: String) throws -> Int32 {
        guard let holder = StateLock.holder(statePath: statePath) else {
            StandardError.line(
                "auditwatch: no running service holds \(statePath) (its lock \(StateLock.lockPath(for: statePath)) is free)"
            )
            throw ExitCode(1)
        }
        guard holder.host == StateLock.hostName else {
            StandardError.line("auditwatch: \(statePath) is held by \(holder); run reload on that host")
            throw ExitCode(1)
        }
        guard ReloadCommand.isAuditwatch(holder.pid) else {
            StandardError.line(
                "auditwatch: process \(holder.pid) named by \(StateLock.lockPath(for: statePath)) is not auditwatch; not signalling it"
            )
            throw ExitCode(1)
        }
        return holder.pid
    }

    /// Whether `pid` runs an auditwatch binary (Linux: its /proc/PID/exe).
    static func isAuditwatch(_ pid: Int32) -> Bool {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else {
            return false
        }
        return (target as NSString).lastPathComponent.hasPrefix("auditwatch")
    }
}
