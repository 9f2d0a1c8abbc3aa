public import AuditwatchCore

/// One notifier of `auditwatch.yml`.
public struct NotifierConfig: Sendable {
    public var name: String
    public var kind: NotifierKind
    public var url: SecretReference?
    public var routingKey: SecretReference?
    /// Generic webhooks: the Standard Webhooks signing secret (`whsec_…`).
    public var signingSecret: SecretReference?
    /// Most requests per second, kept under the target's documented limit.
    public var ratePerSecond: Double
    /// The message text, in place of the alert's summary (alert, rule and group placeholders).
    public var template: SummaryTemplate?
    public var location: SourceLocation
}

/// One organization's audit log to poll (`sources:` in `auditwatch.yml`).
public struct SourceConfig: Sendable {
    public var name: String
    public var adminKey: SecretReference
    public var baseURL = "https://api.openai.com/v1"
    public var pollInterval: Int64 = 60
    public var pageSize = 100
    /// The look-back window of each poll, against late events.
    public var overlap: Int64 = 900
    /// How far back the first poll reads.
    public var start: Int64 = 3600
    public var eventTypes: [String] = []
    public var projectIDs: [String] = []
    public var tenantEvents = false
    public var pagingParameter = "after"
    /// After this long failing, the source raises its own alert.
    public var unavailableAfter: Int64 = 900
    public var location: SourceLocation
    /// The organization's own tuning (`placeholders`, `calendars`, `time_zone`, `disabled_rules`,
    /// `rule_levels`), applied over the config's.
    public var tuning = RuleTuning()
    /// `notifiers`: where the organization's alerts go, in place of `routes` and `default_notifiers`
    /// (nil: those). A rule's own `notify:` still applies.
    public var notifiers: [String]?
    public var notifiersLocation: SourceLocation?
}

/// `auditwatch.yml`.
public struct ServiceConfig: Sendable {
    public var file: String
    public var rulePaths: [String] = ["rules"]
    public var statePath = "auditwatch-state.sqlite"
    /// `state_password`: the PostgreSQL state's password (`${ENV}` or a file, like every secret).
    public var statePassword: SecretReference?
    /// `cluster: { lease, renew }`: the leases replicas on a PostgreSQL state split sources by.
    public var cluster = LeaseSettings()
    public var notifiers: [NotifierConfig] = []
    public var sources: [SourceConfig] = []
    /// `sources_dir`: a directory of organization files, one source each (read by `ConfigLoader`,
    /// relative to the config file); their sources join `sources`.
    public var sourcesDir: Located<String>?
    /// Every notifier name the file defines (decoded or not).
    public var notifierNames: [String] = []
    public var routes: [Router.Route] = []
    public var defaultNotifiers: [String] = []
    public var backoff = BackoffPolicy()
    /// `delivery.drain`: how long a stopping service keeps sending (and waits for a request in
    /// flight) before it leaves the rest in the outbox.
    public var drain: Double = 10
    public var caBundle: String?
    public var proxy: String?
    public var connectTimeout = 10
    public var timeout = 30
    public var lateness: Int64 = 300
    /// `polling.concurrency` and `polling.per_host`: polls in flight at once, in all and per API host.
    public var polling = PollScheduler.Limits()
    /// `server.listen`: where /healthz, /readyz and /metrics are served (off when nil).
    public var listen: (host: String, port: UInt16)?
    /// `server.token`: the bearer token the silences API and the console's changes require (off when nil).
    public var serverToken: SecretReference?
    /// `logging.format` (text or json) and `logging.level` (debug, info, warning, error).
    public var logFormat = "text"
    public var logLevel = "info"
    /// The pack fitted to the organization: placeholders, calendars, disabled rules, levels.
    public var tuning = RuleTuning()
    /// `placeholders_file`: more placeholder values, read by the loader (its `placeholders:` win over the file's).
    public var placeholdersFile: String?

    public init(file: String) { self.file = file }
}
