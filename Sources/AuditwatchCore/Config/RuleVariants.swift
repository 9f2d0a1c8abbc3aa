/// One compiled rule set of a tuning, shared by every organization whose effective tuning has the
/// same `RuleTuning.variantKey`: a class, so sharing is by reference and visible (`===`).
public final class RuleVariant: Sendable {
    public let key: String
    public let ruleSet: RuleSet

    public init(key: String, ruleSet: RuleSet) {
        self.key = key
        self.ruleSet = ruleSet
    }
}

/// The rule set compiled once per distinct tuning: a thousand organizations tuned three ways hold
/// three rule sets, not a thousand.
public struct RuleVariants: Sendable {
    private var byKey: [String: RuleVariant] = [:]

    public init() {}

    /// How many rule sets have been compiled.
    public var count: Int { byKey.count }

    /// The variant of `tuning`, compiled by `compile` only when no equal tuning was seen; what
    /// `compile` throws passes through, and nothing is kept for that tuning.
    public mutating func variant<Failure: Error>(
        for tuning: RuleTuning, compile: (RuleTuning) throws(Failure) -> RuleSet
    ) throws(Failure) -> RuleVariant {
        let key = tuning.variantKey
        if let known = byKey[key] { return known }
        let variant = RuleVariant(key: key, ruleSet: try compile(tuning))
        byKey[key] = variant
        return variant
    }
}
