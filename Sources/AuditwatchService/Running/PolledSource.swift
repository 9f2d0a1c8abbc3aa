import AuditwatchConfig
import AuditwatchCore
import AuditwatchSources
import Synchronization

/// One organization as the service polls it: its poller (with its own HTTP client), engine and
/// cursor. One worker at a time owns it, from the start of a poll to its commit.
struct PolledSource {
    let config: SourceConfig
    let poller: AuditLogPoller
    var engine: DetectionEngine
    var state: PollerState
    /// The `PollContext.generation` of the engine's rules.
    var generation: Int
    /// No saved state yet: the first successful poll reads the `start` backlog, and its alerts are
    /// recorded in the state file but not sent (unless `backfillNotify`), so a first start does not
    /// flood chat.
    var backlog: Bool
    /// Engine limits already logged: each is logged once, then only counted.
    var limitsLogged: Set<String> = []
}

/// A source's place in the service: its name, schedule settings and state, behind a mutex. The
/// scheduler never hands out two polls of one source at once, so the lock is never contended:
/// it makes the one-owner rule checkable.
final class SourceSlot: Sendable {
    let name: String
    let schedule: PollScheduler.Source
    private let source: Mutex<PolledSource>

    init(_ source: sending PolledSource) {
        name = source.config.name
        schedule = PollScheduler.Source(
            name: source.config.name, host: PollScheduler.host(of: source.config.baseURL),
            interval: source.config.pollInterval)
        self.source = Mutex(source)
    }

    /// Polls once on the calling thread (a worker's) and commits on `store`, its connection.
    func poll(_ context: PollContext, store: any StateStore) throws -> SourcePollResult {
        let polled = source.withLock { source in source.poll(context) }
        let fresh = try polled.commit(context, store: store)
        return SourcePollResult(problem: polled.problem, fresh: fresh)
    }
}
