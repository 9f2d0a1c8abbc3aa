public import AuditwatchCore

/// What one console page shows, gathered by the service from its state and counters; the
/// renderer only formats it. Nothing here is a secret.
public struct ConsoleSnapshot: Sendable {
    public struct SourceRow: Sendable {
        public var name: String
        public var lastPoll: Int64?
        /// Seconds between the last poll and the newest event seen.
        public var lag: Int64?
        public var failingSince: Int64?
        public var pollErrors: Int
        public var invalidEvents: Int
        public var lateEvents: Int
        /// The last failed poll's error (redacted) and when.
        public var lastError: (message: String, at: Int64)?

        public init(
            name: String, lastPoll: Int64?, lag: Int64?, failingSince: Int64?, pollErrors: Int, invalidEvents: Int,
            lateEvents: Int, lastError: (message: String, at: Int64)? = nil
        ) {
            self.lastError = lastError
            self.name = name
            self.lastPoll = lastPoll
            self.lag = lag
            self.failingSince = failingSince
            self.pollErrors = pollErrors
            self.invalidEvents = invalidEvents
            self.lateEvents = lateEvents
        }
    }

    public struct RuleRow: Sendable {
        public var id: String
        public var title: String
        public var level: String
        /// Events the rule matched since the service started.
        public var matches: Int
        public var alerts: Int
        public var lastFired: Int64?

        public init(id: String, title: String, level: String, matches: Int, alerts: Int, lastFired: Int64?) {
            self.id = id
            self.title = title
            self.level = level
            self.matches = matches
            self.alerts = alerts
            self.lastFired = lastFired
        }
    }

    /// One delivery of an alert to a notifier.
    public struct Delivery: Sendable {
        public var notifier: String
        public var status: String
        public var attempts: Int
        public var lastError: String?

        public init(notifier: String, status: String, attempts: Int, lastError: String?) {
            self.notifier = notifier
            self.status = status
            self.attempts = attempts
            self.lastError = lastError
        }
    }

    public struct AlertRow: Sendable {
        public var alert: Alert
        public var deliveries: [Delivery]
        /// The silence that muted it.
        public var silence: String?

        public init(alert: Alert, deliveries: [Delivery], silence: String?) {
            self.alert = alert
            self.deliveries = deliveries
            self.silence = silence
        }
    }

    public var now: Int64
    public var version: String
    public var sources: [SourceRow] = []
    public var rules: [RuleRow] = []
    /// The newest alerts first, already filtered.
    public var alerts: [AlertRow] = []
    /// Alerts recorded in all (before the filter), and how many the page shows at most.
    public var alertTotal = 0
    public var alertLimit = 200
    public var filter = AlertFilter()
    /// Values the filters offer.
    public var sourceNames: [String] = []
    /// Pending deliveries and dead letters (as alert rows with those deliveries).
    public var outbox: [AlertRow] = []
    public var deadLetters: [AlertRow] = []
    public var silences: [Silence] = []
    /// Whether `server.token` is set (changes are possible at all).
    public var tokenConfigured = false
    /// The per-session token every form posts back; nil when not signed in.
    public var csrf: String?
    /// Problems with the last form sent (shown above the silence form, which keeps what was typed).
    public var problems: [String] = []
    public var draft = SilenceDraft()
    /// A short note after a change ("silence sil_… created").
    public var notice: String?

    public init(now: Int64, version: String) {
        self.now = now
        self.version = version
    }
}

/// What the silence form holds (refilled after a refused submission).
public struct SilenceDraft: Sendable, Equatable {
    public var matchers: String
    public var duration: String
    public var comment: String
    public var author: String

    public init(matchers: String = "", duration: String = "2h", comment: String = "", author: String = "") {
        self.matchers = matchers
        self.duration = duration
        self.comment = comment
        self.author = author
    }
}
