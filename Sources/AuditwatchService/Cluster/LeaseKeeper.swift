public import AuditwatchCore
public import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps this replica's leases beside polling (state in PostgreSQL): every half renew interval it
/// reports its heartbeat, renews what it holds when due, gives up its surplus over the fair share
/// and claims free or expired sources (`LeasePlanner`), publishing the result in `held` for the
/// polling thread. A lease it cannot renew for a whole lease period is dropped here too, whether
/// or not the store can be reached. On shutdown it releases everything, so others take over at once.
///
/// Its store is a connection of its own, used on its own thread (`BlockingLane`).
public final class LeaseKeeper: Service {
    public let held: HeldLeases
    public let health: LeaseHealth
    private let store: Mutex<any StateStore & LeaseStoring>
    private let lane: BlockingLane
    /// The config's sources (a reload may change them: `update(sources:)`).
    private let sources: Mutex<[String]>
    private let settings: LeaseSettings
    private let metrics: ServiceMetrics
    private let log: Logger
    /// Seconds on a monotonic clock: renewal ages, deadlines and health (a wall clock that jumps
    /// would end or stretch leases here).
    private let clock: @Sendable () -> Double
    /// Wall-clock start (`cluster status`).
    private let startedAt: Double
    /// When the last renewal's round began (this process's clock), and the store's time then.
    private let renewal = Mutex<(local: Double?, store: Double?)>((nil, nil))

    public init(
        store: sending any StateStore & LeaseStoring, replica: String, sources: [String], settings: LeaseSettings,
        metrics: ServiceMetrics, log: Logger,
        clock: @escaping @Sendable () -> Double = LeaseKeeper.bootClock
    ) {
        self.store = Mutex(store)
        held = HeldLeases(replica: replica, clock: clock)
        health = LeaseHealth(unhealthyAfter: settings.unhealthyAfter, clock: clock)
        lane = BlockingLane(name: "auditwatch lease")
        self.sources = Mutex(sources)
        self.settings = settings
        self.metrics = metrics
        self.log = log
        self.clock = clock
        startedAt = Date().timeIntervalSince1970
        metrics.prepareCluster(replica: replica)
    }

    deinit { lane.close() }

    /// Seconds since boot, suspend included (`CLOCK_BOOTTIME`): after the host slept past a lease,
    /// the lease counts as run out here too, as it has in the store (`CLOCK_MONOTONIC`, behind
    /// `systemUptime`, stops while the host is suspended).
    public static func bootClock() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// One round now, on the keeper's thread (before the first poll, so it polls what it got).
    public func roundNow() async {
        try? await lane.run { self.round() }
    }

    public func run() async throws {
        let pause = max(0.05, settings.renew / 2)
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await self.lane.run { self.round() }
                try await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            }
        }
        try? await lane.run { self.releaseAll() }
    }

    /// One round: heartbeat, renew when due, lost leases dropped, surplus released, free ones claimed.
    func round() {
        let replica = held.replica
        // Deadlines count from the round's start: the store's expiry is later than that.
        let now = clock()
        let deadline = now + settings.localValidity
        if let last = renewal.withLock({ $0.local }), now - last >= settings.lease {
            for (source, token) in held.all { lost(source, token: token, reason: "not renewed for a whole lease") }
        }
        do throws(StateError) {
            try store.withLock { store throws(StateError) in
                let storeNow = try store.heartbeat(replica: replica, startedAt: startedAt)
                let lastRenewal = renewal.withLock { $0.store }
                let rows = try store.leases().leases
                // The store says this replica holds a lease it does not hold here (dropped as unrenewed
                // while the store's clock had not yet expired it, or held by a killed process of the
                // same name): given up, else it would be renewed and never polled.
                for row in rows where row.isHeld(by: replica, at: storeNow) && held.token(for: row.source) != row.token
                {
                    try store.release(source: row.source, replica: replica, token: row.token)
                    log.info("lease released", fields(row.source, row.token, extra: [("reason", "dropped here")]))
                }
                for (source, token) in held.all {
                    let mine = rows.contains(where: {
                        $0.source == source && $0.token == token && $0.isHeld(by: replica, at: storeNow)
                    })
                    if !mine { lost(source, token: token, reason: "expired or taken by another replica") }
                }
                let replicas = try store.replicas().replicas
                // Replicas gone an hour (killed: no `leave`) drop out of `cluster status`.
                if replicas.contains(where: { storeNow - $0.lastSeen > 3600 }) {
                    try store.forgetReplicas(before: storeNow - 3600)
                }
                let plan = LeasePlanner.plan(
                    replica: replica, sources: sources.withLock { $0 }, leases: rows, replicas: replicas, now: storeNow,
                    lastRenewal: lastRenewal, settings: settings)
                if plan.renew || lastRenewal == nil {
                    let renewed = try store.renew(replica: replica, duration: settings.lease)
                    for (source, token) in held.all {
                        let kept = renewed.contains(where: { $0.source == source && $0.token == token })
                        if !kept { lost(source, token: token, reason: "expired or taken by another replica") }
                    }
                    let tokens = Dictionary(renewed.map { ($0.source, $0.token) }, uniquingKeysWith: max)
                    held.extend(tokens, deadline: deadline)
                    metrics.leaseRenewals(replica: replica, renewed.count)
                    renewal.withLock { $0 = (now, storeNow) }
                }
                for source in plan.release {
                    guard let token = held.token(for: source) else { continue }
                    try store.release(source: source, replica: replica, token: token)
                    held.drop(source, token: token)
                    log.info("lease released", fields(source, token, extra: [("reason", "balance")]))
                }
                let heldNothing = held.all.isEmpty
                for source in plan.claim {
                    guard let lease = try store.acquire(source: source, replica: replica, duration: settings.lease)
                    else { continue }
                    held.set(source, token: lease.token, deadline: deadline)
                    log.info("lease acquired", fields(source, lease.token))
                }
                // Leases taken when none was held are all fresh: the renewal clock starts now (else
                // a replica that held nothing for a lease would drop what it just took).
                if heldNothing && !held.all.isEmpty { renewal.withLock { $0 = (now, storeNow) } }
            }
            health.succeeded(at: now)
        } catch {
            health.failed(error.message)
            log.error(
                "lease round failed",
                [("event", "lease"), ("outcome", "failed"), ("replica", replica), ("error", error.message)])
        }
        metrics.organizationsHeld(replica: replica, held.all.count)
    }

    /// The sources of a reloaded config: new ones are claimed, gone ones released, from the next round.
    public func update(sources names: [String]) { sources.withLock { $0 = names } }

    /// The polling thread's commit was refused: the lease is gone (counted once, here or in `round`).
    public func commitRefused(_ fence: LeaseFence) {
        metrics.commitConflict(replica: held.replica)
        lost(fence.source, token: fence.token, reason: "commit refused")
    }

    private func lost(_ source: String, token: Int64, reason: String) {
        guard held.drop(source, token: token) else { return }
        metrics.leaseLost(replica: held.replica)
        log.warning("lease lost", fields(source, token, extra: [("reason", reason)]))
    }

    /// Gives every lease up (shutdown): the others claim them at their next round.
    private func releaseAll() {
        do throws(StateError) {
            try store.withLock { store throws(StateError) in
                for (source, token) in held.all.sorted(by: { $0.key < $1.key }) {
                    try store.release(source: source, replica: held.replica, token: token)
                    held.drop(source, token: token)
                    log.info("lease released", fields(source, token, extra: [("reason", "shutdown")]))
                }
                try store.leave(replica: held.replica)
            }
        } catch {
            log.warning(
                "leases not released; they expire within the lease period",
                [("event", "lease"), ("replica", held.replica), ("error", error.message)])
        }
        metrics.organizationsHeld(replica: held.replica, held.all.count)
    }

    private func fields(_ source: String, _ token: Int64, extra: [(String, String)] = []) -> [(String, String)] {
        [("event", "lease"), ("source", source), ("replica", held.replica), ("token", String(token))] + extra
    }
}
