import AuditwatchCore

/// Which rules the tests exercise: made to fire (alert, or match for a building block), and
/// proven silent on at least one benign event: an event of a passing test that has the rule in
/// scope and is behind none of its alerts (tests are exact, so that event provably did not fire it).
public struct Coverage: Sendable {
    public var neverFired: [String]
    public var neverProvenSilent: [String]

    public init(ruleIDs: [String], results: [RuleTestResult]) {
        var fired = Set<String>()
        var silent = Set<String>()
        for result in results {
            fired.formUnion(result.alerts.map(\.ruleID))
            fired.formUnion(result.matchedRules)
            guard result.passed, result.eventCount > 0 else { continue }
            let scope = result.test.scope.map { Set($0.map(\.value)) } ?? Set(ruleIDs)
            for id in scope {
                let behind = Set(result.alerts.filter { $0.ruleID == id }.flatMap(\.eventIDs))
                if result.eventIDs.contains(where: { !behind.contains($0) }) { silent.insert(id) }
            }
        }
        neverFired = ruleIDs.filter { !fired.contains($0) }
        neverProvenSilent = ruleIDs.filter { !silent.contains($0) }
    }

    public var isComplete: Bool { neverFired.isEmpty && neverProvenSilent.isEmpty }
}
