/// A fact about one field of an event that a rule cannot match without: the field's folded text
/// (`FoldedText`) equals, begins with, ends with or holds a literal, or the field is an IP
/// address inside a network.
struct LiteralAtom: Hashable, Sendable {
    enum Shape: Hashable, Sendable {
        case exact([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8])
        case network(IPNetwork)
    }

    /// The slot of the field's path in the rule set's slot table.
    var slot: Int
    var shape: Shape

    /// A rough price of probing for it (a hash lookup is cheaper than a scan), to pick among
    /// the parts of an `and` the one whose literals are cheapest and most telling.
    var cost: Int {
        switch shape {
        case .exact: return 1
        case .prefix, .suffix, .network: return 2
        case .contains(let literal): return literal.count >= 4 ? 3 : 6
        }
    }
}

/// What a rule, selection or entry needs from an event before it can match.
enum LiteralNeed: Sendable {
    /// Nothing the index can test: always a candidate.
    case always
    /// At least one of these atoms holds in every event it matches (none: it never matches).
    case anyOf([LiteralAtom])

    var cost: Int {
        switch self {
        case .always: return .max
        case .anyOf(let atoms): return atoms.reduce(0) { $0 + $1.cost }
        }
    }

    /// Both must hold: either one's atoms are necessary; the cheaper is kept.
    static func both(_ needs: [LiteralNeed]) -> LiteralNeed {
        var best = LiteralNeed.always
        for need in needs {
            if case .anyOf(let atoms) = need, atoms.isEmpty { return need }  // never matches
            if need.cost < best.cost { best = need }
        }
        return best
    }

    /// Either may hold: every one's atoms together; a part that is always a candidate makes the whole one.
    static func either(_ needs: [LiteralNeed]) -> LiteralNeed {
        var atoms: [LiteralAtom] = []
        var seen: Set<LiteralAtom> = []
        for need in needs {
            guard case .anyOf(let some) = need else { return .always }
            for atom in some where seen.insert(atom).inserted { atoms.append(atom) }
        }
        return .anyOf(atoms)
    }
}
