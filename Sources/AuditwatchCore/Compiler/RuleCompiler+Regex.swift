extension RuleCompiler.FieldContext {
    /// `re` with its flags `i`, `m`, `s`: each value a linear-time regular expression.
    /// startswith/endswith/contains on a regex only add `.*` in pySigma, which changes nothing for
    /// an unanchored search: accepted, and they leave the pattern as it is.
    mutating func regexPredicates() -> [ValuePredicate]? {
        guard only(Modifier.placements.union(Modifier.regexFlags).union([.re]), "re") else { return nil }
        let options = LinearRegex.Options(
            ignoreCase: modifiers.contains(.i), multiline: modifiers.contains(.m), dotAll: modifiers.contains(.s))
        var predicates: [ValuePredicate] = []
        for value in values {
            do {
                predicates.append(.regex(Shared(try LinearRegex(value.value.text, options: options))))
            } catch {
                let location = value.location.advanced(
                    byScalars: error.offset, in: value.value.text, style: value.style)
                return fail("invalid regular expression: \(error.message)", at: location)
            }
        }
        return predicates
    }
}
