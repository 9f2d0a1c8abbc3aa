import AuditwatchConfig
import AuditwatchCore
import AuditwatchService
import AuditwatchState
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `auditwatch reload`: SIGHUP to the live service that holds the config's state file, then its
/// answer (`STATE.reload`); a refused reload lists the located problems the service found.
public struct ReloadRequest {
    public var config: String
    public var wait: Int
    public var sink: DiagnosticSink = .standardError

    public init(config: String, wait: Int) {
        self.config = config
        self.wait = wait
    }

    public func run() throws {
        let statePath = try LoadedConfig.load(config, sink: sink).config.statePath
        let pid = try ReloadRequest.holder(of: statePath)
        // File times have a coarser clock than Date(): allow for it, and never count an answer
        // written before this request.
        let asked = Date().addingTimeInterval(-0.01)
        try? FileManager.default.removeItem(atPath: ReloadOutcome.path(state: statePath))
        guard kill(pid, SIGHUP) == 0 else {
            throw AppError.failure("could not signal process \(pid): \(String(cString: strerror(errno)))")
        }
        sink.note(.info, "auditwatch: asked process \(pid) to reload")
        let deadline = Date().addingTimeInterval(Double(max(0, wait)))
        var outcome: ReloadOutcome?
        while outcome == nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            outcome = ReloadOutcome.read(state: statePath, after: asked)
        }
        guard let outcome else {
            throw AppError.failure("process \(pid) did not answer within \(wait)s; its log tells whether it reloaded")
        }
        if outcome.ok {
            sink.note(
                .info,
                "auditwatch: reloaded: \(outcome.rules ?? 0) rules and correlations, \(outcome.notifiers ?? 0) notifiers"
            )
            return
        }
        sink.note(
            .error,
            "auditwatch: the reload failed; the running rules, routes and notifiers stay in force. The problems:"
        )
        // The same files, loaded here, show the same located problems (against no state file).
        do {
            _ = try ConfiguredService.load(
                config, stateOverride: ":memory:", sink: sink, refusal: "the service keeps its running rules",
                log: { _ in })
        } catch let error as AppError {
            sink.emit(error.findings)
        } catch {}
        throw AppError.verdict
    }

    /// The live auditwatch process on this host that holds the state's lock.
    static func holder(of statePath: String) throws(AppError) -> Int32 {
        guard let holder = StateLock.holder(statePath: statePath) else {
            throw .failure(
                "no running service holds \(statePath) (its lock \(StateLock.lockPath(for: statePath)) is free)")
        }
        guard holder.host == StateLock.hostName else {
            throw .failure("\(statePath) is held by \(holder); run reload on that host")
        }
        guard isAuditwatch(holder.pid) else {
            throw .failure(
                "process \(holder.pid) named by \(StateLock.lockPath(for: statePath)) is not auditwatch; not signalling it"
            )
        }
        return holder.pid
    }

    /// Whether `pid` runs an auditwatch binary (Linux: its /proc/PID/exe).
    public static func isAuditwatch(_ pid: Int32) -> Bool {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else {
            return false
        }
        return (target as NSString).lastPathComponent.hasPrefix("auditwatch")
    }
}
