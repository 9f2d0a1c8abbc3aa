import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchSources
import Foundation
import Synchronization

/// One organization as the service polls it: its poller (with its own HTTP client), engine and
/// cursor. One worker at a time owns it, from the start of a poll to its commit.
struct PolledSource {
    var config: SourceConfig
    var poller: AuditLogPoller
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
    /// Replicas: the lease token the engine and poller state were loaded under; a new one loads
    /// them again from the store (what the previous holder committed).
    var loadedToken: Int64?
    /// The last commit failed (the store was unreachable, full or locked): engine and poller are
    /// ahead of what is saved, so the next poll starts again from the store's state and reads the
    /// same events again (alert ids are deterministic: nothing is lost, nothing sent twice).
    var unsaved = false
}

/// A source's place in the service: its name, schedule settings and state, behind a mutex. The
/// scheduler never hands out two polls of one source at once, so the lock is never contended:
/// it makes the one-owner rule checkable.
final class SourceSlot: Sendable {
    let name: String
    private let source: Mutex<PolledSource>
    private let settings: Mutex<PollScheduler.Source>
    /// A reload's new settings (new key, URL…), taken at the next poll's start, so a reload never
    /// waits for a poll in flight.
    private let retuned = Mutex<PollerRecipe?>(nil)

    init(_ source: sending PolledSource) {
        name = source.config.name
        settings = Mutex(SourceSlot.schedule(source.config))
        self.source = Mutex(source)
    }

    /// How the scheduler sees the source.
    var schedule: PollScheduler.Source { settings.withLock { $0 } }

    private static func schedule(_ config: SourceConfig) -> PollScheduler.Source {
        PollScheduler.Source(
            name: config.name, host: PollScheduler.host(of: config.baseURL), interval: config.pollInterval)
    }

    /// The source's settings after a reload; its poll position and engine state stay.
    func retune(_ recipe: PollerRecipe) {
        settings.withLock { $0 = SourceSlot.schedule(recipe.config) }
        retuned.withLock { $0 = recipe }
    }

    /// Polls once on the calling thread (a worker's) and commits on `store`, its connection.
    /// Replicas: only while this one holds the source's lease, on the state the last holder
    /// committed, the commit fenced by the lease's token.
    func poll(_ context: PollContext, store: any StateStore) throws -> SourcePollResult {
        var fence: LeaseFence?
        if let cluster = context.cluster {
            guard let held = cluster.held.fence(for: name) else { return SourcePollResult(problem: nil, fresh: 0) }
            fence = held
        }
        let reload = source.withLock { $0.unsaved || (fence != nil && $0.loadedToken != fence?.token) }
        if reload {
            do {
                let loaded = try LoadedSourceState(name, store: store)
                source.withLock { $0.load(loaded, token: fence?.token, context) }
            } catch {
                return storeFailed(error, context, doing: "loading its saved state")
            }
        }
        let polled = source.withLock { source in
            if let recipe = retuned.withLock({ recipe in
                defer { recipe = nil }; return recipe
            }) {
                do {
                    source.poller = try recipe.make()
                    source.config = recipe.config
                } catch {
                    context.log.error(
                        "organization not reconfigured", [("event", "reload"), ("source", name), ("error", "\(error)")])
                }
            }
            return source.poll(context, fence: fence)
        }
        do {
            let fresh = try polled.commit(context, store: store, fence: fence)
            return SourcePollResult(problem: polled.problem, fresh: fresh)
        } catch let error as StateError where error.lostLease != nil {
            // Another replica holds the source now: nothing was written; it is dropped until taken again.
            context.log.warning(
                "commit refused: lease lost",
                [("event", "commit"), ("outcome", "lease_lost"), ("source", name)] + polled.leaseFields)
            if let lost = error.lostLease { context.cluster?.commitRefused(lost) }
            source.withLock { $0.loadedToken = nil }
            return SourcePollResult(problem: nil, fresh: 0)
        } catch {
            source.withLock { $0.unsaved = true }
            return storeFailed(error, context, doing: "committing the poll", fields: polled.leaseFields)
        }
    }

    /// The state store failed under a poll: the service keeps running (not ready, the source backs
    /// off), and the source's next poll starts from what the store has.
    private func storeFailed(
        _ error: any Error, _ context: PollContext, doing: String, fields: [(String, String)] = []
    ) -> SourcePollResult {
        source.withLock { $0.unsaved = true }
        let message = context.redactor.redact("\(error)")
        context.metrics.pollFailed(source: name)
        context.log.error(
            "state store failed; the poll is read again from the saved state",
            [("event", "commit"), ("outcome", "failed"), ("source", name), ("while", doing), ("error", message)]
                + fields)
        return SourcePollResult(problem: "state store: \(message)", fresh: 0)
    }
}

/// What a source's poller is made of: its settings, admin key and the transport settings.
struct PollerRecipe: Sendable {
    var config: SourceConfig
    var key: Secret
    var http: HTTPClientOptions
    /// The service's: its retries stop waiting when the service stops.
    var pause: RetryPause

    /// A poller with a new HTTP client (connections of its own).
    func make() throws -> AuditLogPoller {
        let pause = self.pause
        let transport = try HTTPClient(options: http)
        // A request to a hung API ends when the service stops, not at its timeout.
        transport.abortWhen = { pause.isStopped }
        let client = AuditLogClient(baseURL: config.baseURL, adminKey: key.value, http: transport)
        return AuditLogPoller(
            client: client, options: AuditLogPoller.Options(source: config), sleep: { pause.sleep($0) },
            stopping: { pause.isStopped })
    }
}

/// A source's engine and poller state as the store has them (nothing saved: a new source, whose
/// first poll reads the `start` backlog).
struct LoadedSourceState: Sendable {
    var engine: EngineState
    var poller: PollerState
    var fresh: Bool

    init(_ name: String, store: any StateStore) throws(StateError) {
        engine = try store.engineState(source: name) ?? EngineState()
        let stored = try store.sourceState(name)
        poller = stored.flatMap { try? JSONDecoder().decode(PollerState.self, from: Data($0.utf8)) } ?? PollerState()
        fresh = stored == nil
    }
}

extension PolledSource {
    init(
        config: SourceConfig, poller: AuditLogPoller, loaded: LoadedSourceState, ruleSet: RuleSet,
        options: EngineOptions
    ) {
        self.init(
            config: config, poller: poller,
            engine: DetectionEngine(ruleSet: ruleSet, options: options, state: loaded.engine),
            state: loaded.poller, generation: 0, backlog: loaded.fresh)
    }

    /// Takes the state the store has (a lease newly held, or after a failed commit), on the rules in force.
    mutating func load(_ loaded: LoadedSourceState, token: Int64?, _ context: PollContext) {
        engine = DetectionEngine(
            ruleSet: context.ruleSet(for: config.name), options: context.options, state: loaded.engine)
        generation = context.generation
        state = loaded.poller
        backlog = loaded.fresh
        loadedToken = token
        unsaved = false
    }
}
