extension RuleCompiler.FieldContext {
    /// Plain values with the string modifiers: placement, `cased`, and the encodings
    /// (`RuleCompiler+Encodings.swift`) that turn one value into the texts it is searched as.
    mutating func textPredicates() -> [ValuePredicate]? {
        guard let encoding = checkedEncoding() else { return nil }
        let leading = placement.contains(.contains) || placement.contains(.endswith)
        let trailing = placement.contains(.contains) || placement.contains(.startswith)
        let base64 = modifiers.intersection(Modifier.base64Forms)
        // A plain value keeps its type: a rule number equals a JSON number, a boolean a JSON boolean.
        let plain = placement.isEmpty && base64.isEmpty && !modifiers.contains(.windash)
        var predicates: [ValuePredicate] = []
        for value in values {
            if value.value == .null { return fail("null must be its own selection entry", at: value.location) }
            guard let texts = encodedTexts(value, encoding: encoding) else { return nil }
            // Case-insensitive like every Sigma value unless `cased`, as the spec and pySigma say
            // (Base64 text itself is case-sensitive; a rule wanting that writes `cased`).
            for text in texts {
                let pattern = TextPattern(
                    sigmaValue: text, caseSensitive: caseSensitive, leadingStar: leading, trailingStar: trailing,
                    wildcards: base64.isEmpty)
                switch value.value {
                case .int, .double: predicates.append(plain ? .number(value.value.number!, pattern) : .text(pattern))
                case .bool(let flag): predicates.append(plain ? .boolean(flag, pattern) : .text(pattern))
                default: predicates.append(.text(pattern))
                }
            }
        }
        return predicates
    }
}
