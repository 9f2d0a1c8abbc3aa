import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// N replicas of the real `auditwatch` binary on one config: `auditwatch run --config F
/// --replica NAME --log-format json` each, with an environment of its own (its admin keys and
/// webhook URL, so the stand-ins can tell the replicas apart). Every replica started ends with
/// the cluster: `stopAll` (and deinit) sends SIGCONT, SIGTERM, then SIGKILL.
public final class ReplicaCluster: @unchecked Sendable {
    // @unchecked: `started` is only touched under `lock`.
    /// One start of a replica (a name started again after a kill is a second incarnation).
    public struct Incarnation: Sendable {
        public var name: String
        public var process: ChildProcess
        /// Wall-clock start (seconds since 1970).
        public var startedAt: Double
    }

    private let config: String
    private let arguments: [String]
    private let environment: @Sendable (String) -> [String: String]
    private let lock = NSLock()
    private var started: [Incarnation] = []
    /// Pids the test killed or is stopping: their exit is expected.
    private var ended: Set<Int32> = []

    /// `environment(name)` is the environment of replica `name`; `arguments` go after
    /// `run --config F --replica NAME --log-format json` (`--backfill-notify`, `--log-level debug`).
    public init(
        config: String, arguments: [String] = [], environment: @escaping @Sendable (String) -> [String: String]
    ) {
        self.config = config
        self.arguments = arguments
        self.environment = environment
    }

    deinit { stopAll() }

    /// Starts replica `name`.
    @discardableResult
    public func start(_ name: String) throws -> ChildProcess {
        let child = try ChildProcess(
            ["run", "--config", config, "--replica", name, "--log-format", "json"] + arguments,
            environment: environment(name))
        lock.lock(); defer { lock.unlock() }
        started.append(Incarnation(name: name, process: child, startedAt: Date().timeIntervalSince1970))
        return child
    }

    public var incarnations: [Incarnation] { lock.lock(); defer { lock.unlock() }; return started }

    /// The newest incarnation of `name`.
    public func replica(_ name: String) -> ChildProcess? { incarnations.last { $0.name == name }?.process }

    /// Sends `signal` to the newest incarnation of `name`; for SIGKILL, waits for the exit.
    public func signal(_ name: String, _ signal: Int32) {
        guard let child = replica(name), child.isRunning else { return }
        if signal == SIGKILL || signal == SIGTERM { lock.withLock { _ = ended.insert(child.pid) } }
        kill(child.pid, signal)
        if signal == SIGKILL { child.process.waitUntilExit() }
    }

    /// Ends every replica ever started: resumed if stopped, SIGTERM, SIGKILL after `grace` s.
    public func stopAll(grace: Double = 5) {
        lock.withLock { ended.formUnion(started.map(\.process.pid)) }
        for incarnation in incarnations where incarnation.process.isRunning {
            kill(incarnation.process.pid, SIGCONT)
            kill(incarnation.process.pid, SIGTERM)
        }
        for incarnation in incarnations { incarnation.process.stop(grace: grace) }
    }

    /// A replica that exited without the test ending it (a crash, a refused config), with the
    /// end of its standard error; nil while every one runs or was ended on purpose.
    public var unexpectedExit: String? {
        let expected = lock.withLock { ended }
        guard let gone = incarnations.first(where: { !$0.process.isRunning && !expected.contains($0.process.pid) })
        else { return nil }
        return "\(gone.name) exited (\(gone.process.process.terminationStatus)): \(gone.process.stderr.suffix(1500))"
    }

    /// Every JSON log line of every incarnation of `name` (or of all), in each one's order; with
    /// `containing`, only lines with that text (filtered before they are parsed: tests poll this);
    /// with `newestOnly`, those of `name`'s newest incarnation alone (with no `name`: the newest
    /// incarnation started, whatever its name).
    public func log(of name: String? = nil, containing: String? = nil, newestOnly: Bool = false) -> [LogRecord] {
        var chosen = incarnations.filter { name == nil || $0.name == name }
        if newestOnly, let newest = chosen.last { chosen = [newest] }
        return chosen.flatMap { LogRecord.parse($0.process.stderr, containing: containing) }
    }
}

/// One JSON log line of the service: every field as text (`time`, `level`, `msg` and the rest).
public struct LogRecord: Sendable {
    public var fields: [String: String]
    public var message: String { fields["msg"] ?? "" }
    public subscript(_ name: String) -> String? { fields[name] }

    /// The JSON object lines of `text`; other lines (a crash report) are skipped.
    public static func parse(_ text: String, containing: String? = nil) -> [LogRecord] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{"), containing.map({ line.contains($0) }) ?? true,
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { return nil }
            return LogRecord(fields: object.mapValues { value in (value as? String) ?? "\(value)" })
        }
    }
}
