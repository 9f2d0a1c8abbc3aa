import AuditwatchConfig
import AuditwatchCore
import Logging

/// What a poll needs besides its source, as it stood when the poll was handed to a worker: the
/// rules, routes and redaction in force (a reload swaps in a new context; polls in flight finish
/// with the one they started with), the engine options, metrics and log.
struct PollContext: Sendable {
    var ruleSet: RuleSet
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

    /// The rule set `source` runs: the one of the config for every source.
    func ruleSet(for source: SourceConfig) -> RuleSet { ruleSet }
}
