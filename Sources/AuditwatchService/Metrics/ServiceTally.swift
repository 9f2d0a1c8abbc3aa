import Synchronization

/// The few running figures the console shows beside what the state file holds: per source the
/// last good poll, its lag and failed polls; per rule the events matched since start; the rules
/// loaded now. Kept by `ServiceMetrics` as it counts (the Prometheus registry cannot be read back).
public final class ServiceTally: Sendable {
    public struct SourceFigures: Sendable {
        public var lastPoll: Int64?
        public var lag: Int64?
        public var pollErrors = 0
        /// The last failed poll's error (redacted), and when.
        public var lastError: (message: String, at: Int64)?
    }

    private struct Figures {
        var sources: [String: SourceFigures] = [:]
        var matches: [String: Int] = [:]
        var rules: [(id: String, level: String)] = []
    }

    private let figures = Mutex(Figures())

    public init() {}

    func polled(source: String, at time: Int64) {
        figures.withLock { $0.sources[source, default: .init()].lastPoll = time }
    }
    func pollFailed(source: String) { figures.withLock { $0.sources[source, default: .init()].pollErrors += 1 } }
    /// `message` must already be redacted.
    public func pollError(source: String, message: String, at time: Int64) {
        figures.withLock { $0.sources[source, default: .init()].lastError = (message, time) }
    }
    func lag(source: String, seconds: Double) {
        figures.withLock { $0.sources[source, default: .init()].lag = Int64(seconds.rounded()) }
    }
    func matched(rule: String, _ count: Int) { figures.withLock { $0.matches[rule, default: 0] += count } }
    func loaded(rules: [(id: String, level: String)]) { figures.withLock { $0.rules = rules } }

    public func source(_ name: String) -> SourceFigures { figures.withLock { $0.sources[name] ?? .init() } }
    public var matches: [String: Int] { figures.withLock { $0.matches } }
    /// The rules of the config in force (after the last successful reload).
    public var rules: [(id: String, level: String)] { figures.withLock { $0.rules } }
}
