import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
public import AuditwatchService
import AuditwatchState
import AuditwatchYAML
import Foundation

/// Assembles what `auditwatch.yml` sets up (rules, state file, notifiers, routes, delivery) for
/// a command. Every problem is reported located; any error stops before anything runs
/// (under `strict`, any warning too).
public enum ConfiguredService {
    /// `sink` takes the findings (the service's log while it runs); `refusal` says what a rule error means.
    public static func load(
        _ path: String, rulesOverride: [String] = [], stateOverride: String? = nil, placeholders: String? = nil,
        strict: Bool = false, readOnly: Bool = false,
        sink: DiagnosticSink = .standardError, refusal: String = "nothing was run",
        log: @escaping (String) -> Void = { StandardError.line($0) },
        printAlerts: @escaping (String) -> Void = { line in
            let stdout = LineWriter(descriptor: 1)
            stdout.line(line)
            stdout.flush()
        }
    ) throws -> ServiceParts {
        var (config, configSources) = try LoadedConfig.load(path, strict: strict, sink: sink)
        var problems: [Diagnostic] = []
        if !rulesOverride.isEmpty { config.rulePaths = rulesOverride }
        if let stateOverride { config.statePath = stateOverride }
        let tuning = try LoadedRules.tuning(placeholders: placeholders, config: config, sink: sink)
        let (ruleSet, rules) = try LoadedRules.load(
            config.rulePaths, quiet: true, tuning: tuning, sink: sink, refusal: refusal)
        var allSources = configSources
        allSources.merge(rules.sources)
        let organizations = try LoadedVariants.load(
            config, base: tuning, ruleSet: ruleSet, sources: allSources, refusal: refusal)
        let resolved = NotifierSettings.resolve(config)
        let clients = NotifierClient.clients(
            for: resolved.notifiers, redactor: resolved.redactor,
            transport: { try? HTTPClient(options: HTTPClientOptions(config: config)) }, printLine: printAlerts)
        problems += resolved.diagnostics
        let ruleNotifiers = NotifierReferences.byRule(rules.rules.map(\.rule), rules.correlations.map(\.rule))
        problems += NotifierReferences.unknown(
            rules.rules.map(\.rule), rules.correlations.map(\.rule), known: clients.keys)
        if config.defaultNotifiers.isEmpty && config.routes.isEmpty && !config.notifiers.isEmpty {
            problems.append(
                .warning(
                    "no routes and no default_notifiers: alerts are recorded in the state file but sent nowhere",
                    at: SourceLocation(file: path, line: 1, column: 1)))
        }
        let errors = problems.filter { $0.severity == .error || strict }
        if !problems.isEmpty {
            var sources = configSources
            sources.merge(rules.sources)
            guard errors.isEmpty else {
                throw AppError.diagnostics(Findings(diagnostics: problems.sortedByLocation(), sources: sources))
            }
            sink.report(problems.sortedByLocation(), sources)
        }
        let store: any StateStore
        // A command that only reads (check) never creates a state file: without one it works on an empty one in memory.
        let statePath =
            readOnly && !StoreLocation.isDatabaseURL(config.statePath)
                && !FileManager.default.fileExists(atPath: config.statePath) ? ":memory:" : config.statePath
        let password = try StateTarget.of(config).password
        do throws(StateError) { store = try StoreLocation(statePath).open(password: password) } catch {
            throw AppError.state(error.message)
        }
        // The store's password and the API's bearer token are secrets too: no log line, stored
        // error or listing may show them (server.token is never a literal in the file).
        var redactor = resolved.redactor
        if let password { redactor.add(Secret(password)) }
        let serverToken = config.serverToken.map { reference in
            SecretResolver().resolve(
                reference, what: "server.token", at: SourceLocation(file: config.file, line: 1, column: 1),
                owner: "server")
        }
        if case .success(let token) = serverToken { redactor.add(token) }
        let worker = DeliveryWorker(
            store: store, clients: clients, backoff: config.backoff,
            clock: { Date().timeIntervalSince1970 }, sleep: { Thread.sleep(forTimeInterval: $0) },
            random: { Double.random(in: 0..<1) },
            log: { log(redactor.redact($0)) })
        // An organization's `notifiers` replace the routes and defaults for its alerts; a rule's own
        // `notify:` still applies.
        var routers: [String: Router] = [:]
        for source in config.sources {
            guard let notifiers = source.notifiers else { continue }
            routers[source.name] = Router(routes: [], defaultNotifiers: notifiers, ruleNotifiers: ruleNotifiers)
        }
        return ServiceParts(
            config: config, ruleSet: ruleSet, store: store,
            router: Router(
                routes: config.routes, defaultNotifiers: config.defaultNotifiers, ruleNotifiers: ruleNotifiers),
            worker: worker, clients: clients, redactor: redactor, deliveryLog: { log(redactor.redact($0)) },
            variants: organizations.variants, routers: routers, serverToken: serverToken)
    }

    /// Every source's admin key resolves (a reload that adds an organization whose key cannot be
    /// read is refused, located, before the running config is replaced).
    public static func checkAdminKeys(_ parts: ServiceParts) throws(AppError) {
        var problems: [Diagnostic] = []
        for source in parts.config.sources {
            if case .failure(let problem) = SecretResolver().adminKey(of: source) { problems.append(problem) }
        }
        guard problems.isEmpty else { throw .diagnostics(Findings(diagnostics: problems.sortedByLocation())) }
    }
}
