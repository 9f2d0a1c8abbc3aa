public import AuditwatchConfig
public import AuditwatchCore
public import AuditwatchNotify

/// Everything a config assembles for a run: rules, state file, routes, notifiers and delivery.
public struct ServiceParts {
    public let config: ServiceConfig
    public let ruleSet: RuleSet
    public let store: any StateStore
    public let router: Router
    public let worker: DeliveryWorker
    public let clients: [String: NotifierClient]
    public let redactor: Redactor
    /// Where delivery lines go (already redacted).
    public let deliveryLog: (String) -> Void
    /// Per organization tuned apart (source name): its rule set, shared with every organization
    /// tuned alike. The others run `ruleSet`.
    public let variants: [String: RuleVariant]
    /// Per organization with its own `notifiers`: its router. The others use `router`.
    public let routers: [String: Router]
    /// `server.token`, resolved once (the console checks requests against it, the redactor keeps
    /// it out of every output); a failure stops only what needs it, the console, located. Nil only
    /// when the config has no `server.token`; required in `init`, so no assembly can leave it out.
    public let serverToken: Result<Secret, Diagnostic>?

    public init(
        config: ServiceConfig, ruleSet: RuleSet, store: any StateStore, router: Router, worker: DeliveryWorker,
        clients: [String: NotifierClient], redactor: Redactor,
        deliveryLog: @escaping (String) -> Void = { _ in }, variants: [String: RuleVariant] = [:],
        routers: [String: Router] = [:], serverToken: Result<Secret, Diagnostic>?
    ) {
        self.serverToken = serverToken
        self.deliveryLog = deliveryLog
        self.variants = variants
        self.routers = routers
        self.config = config
        self.ruleSet = ruleSet
        self.store = store
        self.router = router
        self.worker = worker
        self.clients = clients
        self.redactor = redactor
    }

    /// The rules a source's engine runs: its organization's variant, else the config's.
    public func ruleSet(for source: String) -> RuleSet { variants[source]?.ruleSet ?? ruleSet }

    /// Where a source's alerts go: its organization's `notifiers`, else the config's routes.
    public func router(for source: String) -> Router { routers[source] ?? router }

    /// The outbox's background senders, one per notifier (not started).
    /// `log` replaces `deliveryLog` (the service sends delivery lines, as fields, through its own log).
    public func makeLanes(
        log: ((DeliveryLogLine) -> Void)? = nil, onOutcome: ((String, String, Double?) -> Void)? = nil
    ) -> DeliveryLanes {
        let redactor = self.redactor
        let structured = log.map { write in
            { (line: DeliveryLogLine) in
                write(
                    DeliveryLogLine(
                        message: line.message, fields: line.fields.map { ($0.0, redactor.redact($0.1)) },
                        text: redactor.redact(line.text)))
            }
        }
        return DeliveryLanes(
            store: store, clients: clients, backoff: config.backoff, log: deliveryLog, logLine: structured,
            onOutcome: onOutcome)
    }
}

/// Problems that keep a service from starting (an admin key that cannot be resolved…), located.
public struct ServiceSetupError: Error, Sendable {
    public var diagnostics: [Diagnostic]
}
