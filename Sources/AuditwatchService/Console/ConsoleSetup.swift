import AuditwatchConfig
public import AuditwatchCore
import AuditwatchNotify

extension ConsoleServer {
    /// The console of a configured service: `server.token` as `setup` resolved it (an unset
    /// variable or an unreadable file stops the start, located), the rules and sources of `setup`.
    /// `openStore` opens a new connection to the service's store (one per request).
    public static func make(
        _ setup: ServiceParts, host: String, metrics: ServiceMetrics, version: String,
        openStore: @escaping @Sendable () throws -> any StateStore
    ) throws(ServiceSetupError) -> ConsoleServer {
        var token: String?
        switch setup.serverToken {
        case .success(let secret): token = secret.value
        case .failure(let problem): throw ServiceSetupError(diagnostics: [problem])
        case nil: break
        }
        var titles: [String: String] = [:]
        for rule in setup.ruleSet.rules { titles[rule.rule.id] = rule.rule.title }
        for rule in setup.ruleSet.correlations { titles[rule.rule.id] = rule.rule.title }
        return ConsoleServer(
            Context(
                openStore: openStore, token: token, host: host, version: version,
                sources: setup.config.sources.map(\.name), ruleTitles: titles, tally: metrics.tally))
    }
}
