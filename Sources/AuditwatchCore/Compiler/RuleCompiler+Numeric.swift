extension RuleCompiler.FieldContext {
    /// `lt`, `lte`, `gt`, `gte`: each value a numeric bound.
    mutating func comparisonPredicates(_ comparison: ComparisonOperator) -> [ValuePredicate]? {
        guard let modifier = Modifier(rawValue: comparison.rawValue), only([modifier], comparison.rawValue) else {
            return nil
        }
        var predicates: [ValuePredicate] = []
        for value in values {
            guard let bound = value.value.number else {
                return fail("'\(comparison.rawValue)' needs a number, found '\(value.value)'", at: value.location)
            }
            predicates.append(.compare(comparison, bound))
        }
        return predicates
    }
}
