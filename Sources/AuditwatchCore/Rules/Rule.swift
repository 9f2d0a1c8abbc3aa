/// A detection rule as written: Sigma's metadata and detection, plus auditwatch's extensions.
public struct Rule: Sendable {
    /// Stable identity; alert ids derive from it. Sigma's `id`, or `name` when there is no `id`.
    public var id: String
    public var name: String?
    public var title: String
    public var level: RuleLevel
    public var status: String?
    public var description: String?
    public var author: String?
    public var date: String?
    public var modified: String?
    public var references: [String] = []
    public var tags: [String] = []
    public var falsePositives: [String] = []
    public var fields: [String] = []
    public var logSource: LogSource?
    /// auditwatch extension: a message template for alerts.
    public var summary: String?
    /// Where the `summary:` key is (template errors point at it).
    public var summaryLocation: SourceLocation?
    /// auditwatch extension: false keeps the rule loaded and checked but never evaluated.
    public var enabled: Bool = true
    /// auditwatch extension: after an alert, further alerts of the same group within this many
    /// seconds (event time) are folded into one follow-up ("and N more").
    public var suppress: Int64?
    /// The fields that make a group for `suppress` (none: the whole rule is one group).
    public var suppressBy: [String] = []
    /// auditwatch extension: notifiers this rule's alerts go to, bypassing the routes.
    public var notify: [String]?
    /// Where the `notify:` key is (unknown notifiers point at it).
    public var notifyLocation: SourceLocation?
    public var detection: Detection
    /// Where the rule's document starts.
    public var location: SourceLocation

    public init(id: String, title: String, level: RuleLevel, detection: Detection, location: SourceLocation) {
        self.id = id
        self.title = title
        self.level = level
        self.detection = detection
        self.location = location
    }
}

/// Sigma's `logsource`: which log a rule is written for.
public struct LogSource: Sendable, Hashable {
    public var product: String?
    public var service: String?
    public var category: String?

    public init(product: String? = nil, service: String? = nil, category: String? = nil) {
        self.product = product
        self.service = service
        self.category = category
    }

    /// Whether a rule with this log source reads OpenAI audit-log events.
    public var isOpenAIAuditLog: Bool {
        (product == nil || product?.lowercased() == "openai")
            && (service == nil || ["audit_log", "audit_logs", "audit"].contains(service!.lowercased()))
    }
}

extension LogSource {
    static let keys: Set<String> = ["product", "service", "category", "definition"]

    /// Reads a `logsource` mapping (rules and filters).
    static func decode(_ node: DocumentNode, ruleID: String?, diagnostics: inout [Diagnostic]) -> LogSource {
        var reader = MappingReader(node, what: "'logsource'", known: keys, ruleID: ruleID)
        let source = LogSource(
            product: reader.string("product"), service: reader.string("service"), category: reader.string("category"))
        diagnostics += reader.diagnostics
        return source
    }
}
