public import AuditwatchCore

/// The outcome of one test.
public struct RuleTestResult: Sendable {
    public var test: RuleTestCase
    public var file: String
    public var passed: Bool { problems.isEmpty && failures.isEmpty }
    /// Mistakes in the test itself (unknown rule, bad fixture…), located.
    public var problems: [Diagnostic] = []
    /// What differs between the expected and the actual alerts, readable.
    public var failures: [String] = []
    /// Every alert the rules raised (all rules, before scoping).
    public var alerts: [Alert] = []
    /// Base-rule matches by rule id (building blocks match without alerting).
    public var matchedRules: Set<String> = []
    public var eventCount = 0
    /// The ids of the test's events.
    public var eventIDs: [String] = []
    public var seconds: Double = 0
}
