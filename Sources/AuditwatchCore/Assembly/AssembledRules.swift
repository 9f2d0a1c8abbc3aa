/// What rule-set assembly made of a set of documents: the compiled rules and correlations, what
/// they refer to, and every problem found.
public struct AssembledRules: Sendable {
    public var rules: [CompiledRule] = []
    public var diagnostics: [Diagnostic] = []
    /// Rules written for another log source, loaded but not run.
    public var skipped: [Rule] = []
    public var calendars: [String: WorkingCalendar] = [:]
    public var filters: [SigmaFilter] = []
    /// The placeholder values the rules were expanded with: the files' defaults, then the tuning's.
    public var placeholders: [String: [String]] = [:]
    /// The placeholders each rule (by id) refers to, for the catalog.
    public var placeholderUses: [String: [String]] = [:]
    public var correlations: [CompiledCorrelation] = []
    /// `tests:` lists found in the documents: the list, its file, and the rule it sits in (inline tests).
    public var tests: [(list: DocumentNode, file: String, rule: String?)] = []

    public init() {}

    /// The rule set, when assembly found no error.
    public var ruleSet: RuleSet? { diagnostics.hasErrors ? nil : RuleSet(rules, correlations: correlations) }
}
