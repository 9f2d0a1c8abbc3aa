public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An `auditwatch` process a test starts and is sure to end: `stop` (and deinit) sends SIGTERM,
/// then SIGKILL if it has not exited within the grace time, and waits for it. Its standard
/// output and error are collected as they arrive.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let output: OutputCollector
    private let errors: OutputCollector

    /// Starts `auditwatch arguments…` from the repository root. With `blockTerm`, it is started
    /// with SIGTERM blocked, as some supervisors (and test runners' threads) start children.
    public init(_ arguments: [String], environment: [String: String] = [:], blockTerm: Bool = false) throws {
        process.executableURL = CommandRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = CommandRunner.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outputPipe = Pipe(), errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        var previous = sigset_t()
        if blockTerm {
            var term = sigset_t()
            sigemptyset(&term)
            sigaddset(&term, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &term, &previous)
        }
        defer { if blockTerm { pthread_sigmask(SIG_SETMASK, &previous, nil) } }
        try process.run()
        // Read only once the process runs: `run` closes the parent's writing ends, so the
        // readers see end of file when the child exits.
        output = OutputCollector(outputPipe)
        errors = OutputCollector(errorPipe)
    }

    deinit { stop() }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var stdout: String { output.text }
    public var stderr: String { errors.text }

    /// Waits until `predicate` holds for the standard error so far (at most `timeout` seconds).
    @discardableResult
    public func waitForStderr(timeout: Double = 20, _ predicate: (String) -> Bool) -> Bool {
        wait(timeout) { predicate(self.stderr) }
    }

    /// Waits until `predicate` holds for the standard output so far.
    @discardableResult
    public func waitForStdout(timeout: Double = 20, _ predicate: (String) -> Bool) -> Bool {
        wait(timeout) { predicate(self.stdout) }
    }

    /// Sends `signal` and waits up to `timeout` seconds for the exit; returns the seconds it
    /// took, or nil when it is still running.
    @discardableResult
    public func signal(_ signal: Int32, waitUpTo timeout: Double) -> Double? {
        let start = Date()
        guard process.isRunning else { return 0 }
        kill(process.processIdentifier, signal)
        return wait(timeout) { !self.process.isRunning } ? Date().timeIntervalSince(start) : nil
    }

    /// Ends the process whatever it does: SIGTERM, then SIGKILL after `grace` seconds.
    public func stop(grace: Double = 3) {
        guard process.isRunning else { return }
        if signal(SIGTERM, waitUpTo: grace) == nil { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func wait(_ timeout: Double, _ condition: () -> Bool) -> Bool {
        eventually(timeout: timeout, every: 0.02, condition)
    }
}
