import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What signals ask of the running service: SIGTERM and SIGINT stop it, SIGHUP reloads. The
/// main loop sleeps in `wait`, which a signal cuts short.
public final class ServiceControl: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private var reloading = false
    private let wake = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "auditwatch.signals")

    public init() {}

    /// Routes SIGTERM, SIGINT and SIGHUP here instead of their default actions.
    public func installSignalHandlers() {
        for (signalNumber, action) in [(SIGTERM, true), (SIGINT, true), (SIGHUP, false)] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in action ? self?.requestStop() : self?.requestReload() }
            source.resume()
            sources.append(source)
        }
    }

    public func requestStop() {
        lock.lock(); stopping = true; lock.unlock()
        wake.signal()
    }

    public func requestReload() {
        lock.lock(); reloading = true; lock.unlock()
        wake.signal()
    }

    public var stopRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopping
    }

    /// Whether a reload was asked for since the last call.
    public func takeReload() -> Bool {
        lock.lock(); defer { lock.unlock() }
        let asked = reloading
        reloading = false
        return asked
    }

    /// Sleeps up to `seconds`, returning early when a signal arrives.
    public func wait(_ seconds: Double) {
        _ = wake.wait(timeout: .now() + seconds)
    }
}
