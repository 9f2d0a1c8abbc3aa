import AuditwatchCore
import AuditwatchNotify
import AuditwatchState

/// Everything a config assembles for a run: rules, state file, routes, notifiers and delivery.
public struct ServiceParts {
    public let config: ServiceConfig
    public let ruleSet: RuleSet
    public let store: StateStore
    public let router: Router
    public let worker: DeliveryWorker
    public let clients: [String: NotifierClient]
    public let redactor: Redactor

    public init(config: ServiceConfig, ruleSet: RuleSet, store: StateStore, router: Router, worker: DeliveryWorker, clients: [String: NotifierClient], redactor: Redactor) {
        self.config = config
        self.ruleSet = ruleSet
        self.store = store
        self.router = router
        self.worker = worker
        self.clients = clients
        self.redactor = redactor
    }
}

/// Problems that keep a service from starting (an admin key that cannot be resolved…), located.
public struct ServiceSetupError: Error, Sendable {
    public var diagnostics: [Diagnostic]
}
