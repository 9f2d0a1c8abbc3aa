/// A rule's severity, as Sigma names them.
public enum RuleLevel: String, Sendable, CaseIterable, Comparable, Codable {
    case informational, low, medium, high, critical

    public static func < (lhs: RuleLevel, rhs: RuleLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
