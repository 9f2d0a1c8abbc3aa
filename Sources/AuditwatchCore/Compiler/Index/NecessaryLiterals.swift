/// Works out a rule's `LiteralNeed` from its compiled condition: the literals one of which every
/// event it matches carries. Anything the analysis cannot see through — `not`, negated values,
/// numbers, comparisons, dates, calendars, keywords, field references, a regex without an ASCII
/// required literal — is `always`, so the index can only narrow what is examined, never drop a match.
enum NecessaryLiterals {
    /// `slot` gives each path its slot number.
    static func of(_ rule: CompiledRule, slot: (FieldPath) -> Int) -> LiteralNeed {
        of(rule.condition, rule, slot)
    }

    private static func of(
        _ expression: ConditionExpression, _ rule: CompiledRule, _ slot: (FieldPath) -> Int
    )
        -> LiteralNeed
    {
        switch expression {
        case .selection(let index): return selection(rule.selections[index], slot)
        case .not: return .always
        case .and(let parts): return .both(parts.map { of($0, rule, slot) })
        case .or(let parts): return .either(parts.map { of($0, rule, slot) })
        case .anyOf(let indices): return .either(indices.map { selection(rule.selections[$0], slot) })
        case .allOf(let indices): return .both(indices.map { selection(rule.selections[$0], slot) })
        }
    }

    /// Any alternative; within one, every entry.
    private static func selection(_ alternatives: [[FieldMatcher]], _ slot: (FieldPath) -> Int) -> LiteralNeed {
        .either(alternatives.map { entries in .both(entries.map { matcher($0, slot) }) })
    }

    static func matcher(_ matcher: FieldMatcher, _ slot: (FieldPath) -> Int) -> LiteralNeed {
        guard case .values(let predicates, let requireAll, let negated) = matcher.test, !negated else { return .always }
        if predicates.isEmpty { return requireAll ? .always : .anyOf([]) }
        let needs = predicates.map { predicate(predicate: $0.predicate, slot: slot(matcher.path)) }
        // `all`: each value matches, so any one's literals are necessary; otherwise any value may.
        return requireAll ? .both(needs) : .either(needs)
    }

    private static func predicate(predicate: ValuePredicate, slot: Int) -> LiteralNeed {
        switch predicate {
        case .text(let pattern):
            return text(pattern, slot)
        case .cidr(let network):
            return .anyOf([LiteralAtom(slot: slot, shape: .network(network))])
        case .regex(let regex):
            // Every match begins the text with (anchored) or holds one of the literals; letters
            // in them may be in either case, so they are keyed folded, as the text is.
            guard let found = regex.value.indexLiterals,
                found.literals.allSatisfy({ literal in literal.allSatisfy { $0.byte < 0x80 } })
            else { return .always }
            var atoms: [LiteralAtom] = []
            for literal in found.literals {
                let folded = literal.map { TextPattern.lower($0.byte) }
                let atom = LiteralAtom(slot: slot, shape: found.atStart ? .prefix(folded) : .contains(folded))
                if !atoms.contains(atom) { atoms.append(atom) }
            }
            return .anyOf(atoms)
        case .number, .boolean, .compare, .datePart, .calendar:
            // A number matches JSON numbers by value (5 is 5.0), not by text.
            return .always
        }
    }

    private static func text(_ pattern: TextPattern, _ slot: Int) -> LiteralNeed {
        func atom(_ shape: (([UInt8]) -> LiteralAtom.Shape), _ literal: [UInt8]) -> LiteralNeed {
            // A case-insensitive pattern's literal is already folded; a case-sensitive one is
            // folded here when it is ASCII (otherwise folding the text could change its bytes).
            guard let key = pattern.caseSensitive ? FoldedText.foldedASCII(literal) : literal else { return .always }
            return .anyOf([LiteralAtom(slot: slot, shape: shape(key))])
        }
        switch pattern.shape {
        case .exact: return atom(LiteralAtom.Shape.exact, pattern.literal)
        case .prefix: return pattern.literal.isEmpty ? .always : atom(LiteralAtom.Shape.prefix, pattern.literal)
        case .suffix: return pattern.literal.isEmpty ? .always : atom(LiteralAtom.Shape.suffix, pattern.literal)
        case .contains: return pattern.literal.isEmpty ? .always : atom(LiteralAtom.Shape.contains, pattern.literal)
        case .glob:
            // The bytes before the first wildcard begin the text; otherwise the longest run of
            // literal bytes is somewhere in it.
            var runs: [[UInt8]] = [[]]
            for piece in pattern.pieces {
                if case .byte(let byte) = piece { runs[runs.count - 1].append(byte) } else { runs.append([]) }
            }
            if let first = pattern.pieces.first, case .byte = first, runs[0].count >= 3 {
                return atom(LiteralAtom.Shape.prefix, runs[0])
            }
            guard let longest = runs.max(by: { $0.count < $1.count }), !longest.isEmpty else { return .always }
            return atom(LiteralAtom.Shape.contains, longest)
        }
    }
}
