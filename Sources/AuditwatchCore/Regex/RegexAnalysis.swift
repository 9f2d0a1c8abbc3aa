/// Facts about a parsed pattern that let the matcher skip work without changing its answer.
enum RegexAnalysis {
    /// Whether every match must start at the beginning of the text.
    static func anchoredAtStart(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(let assertion): return assertion == .textStart
        case .concat(let items): return items.first.map(anchoredAtStart) ?? false
        case .alternation(let branches): return branches.allSatisfy(anchoredAtStart)
        case .repeated(let inner, let minimum, _): return minimum > 0 && anchoredAtStart(inner)
        case .empty, .set: return false
        }
    }

    /// The scalars a match can begin with, and whether the node can match without consuming any
    /// (assertions count as consuming nothing, which only widens the set).
    static func first(_ node: RegexNode) -> (set: ScalarSet, nullable: Bool) {
        switch node {
        case .empty, .assertion: return (.empty, true)
        case .set(let set): return (set, false)
        case .concat(let items):
            var ranges: [ClosedRange<UInt32>] = []
            for item in items {
                let part = first(item)
                ranges += part.set.ranges
                if !part.nullable { return (ScalarSet(ranges), false) }
            }
            return (ScalarSet(ranges), true)
        case .alternation(let branches):
            var ranges: [ClosedRange<UInt32>] = []
            var nullable = false
            for branch in branches {
                let part = first(branch)
                ranges += part.set.ranges
                nullable = nullable || part.nullable
            }
            return (ScalarSet(ranges), nullable)
        case .repeated(let inner, let minimum, _):
            let part = first(inner)
            return (part.set, part.nullable || minimum == 0)
        }
    }
}
