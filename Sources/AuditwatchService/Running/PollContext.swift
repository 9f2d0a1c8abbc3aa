import AuditwatchConfig
import AuditwatchCore
import Logging

/// What a poll needs besides its source, as it stood when the poll was handed to a worker: the
/// rules, routes and redaction in force (a reload swaps in a new context; polls in flight finish
/// with the one they started with), the engine options, metrics and log.
struct PollContext: Sendable {
    var ruleSet: RuleSet
    /// Per organization tuned apart (source name): its rule set, shared with those tuned alike.
    var variants: [String: RuleVariant] = [:]
    /// Per organization with its own `notifiers`: its router.
    var routers: [String: Router] = [:]
    /// Counts reloads: a source whose engine runs an older generation gets the new rules (its
    /// window state carried over by rule id) at its next poll.
    var generation: Int
    var router: Router
    var redactor: Redactor
    var options: EngineOptions
    /// Send the alerts of a new source's first poll too (`run --backfill-notify`).
    var backfillNotify: Bool
    let metrics: ServiceMetrics
    let log: Logger
    let clock: @Sendable () -> Int64
    /// Replicas (state in PostgreSQL): the keeper whose leases say which sources this one polls,
    /// each commit fenced by its token. Nil: one process polls every source.
    var cluster: LeaseKeeper?

    /// The rules a source's engine runs: its organization's variant, else the config's.
    func ruleSet(for source: String) -> RuleSet { variants[source]?.ruleSet ?? ruleSet }

    /// Where a source's alerts go: its organization's `notifiers`, else the config's routes.
    func router(for source: String) -> Router { routers[source] ?? router }

    /// The rules, routes and redaction of `parts`, one generation on.
    mutating func take(_ parts: ServiceParts, redactor: Redactor) {
        ruleSet = parts.ruleSet
        variants = parts.variants
        router = parts.router
        routers = parts.routers
        self.redactor = redactor
        generation += 1
    }
}
