/// Works out which event types a condition can match, so rules are indexed by type.
///
/// A selection pins the type when every alternative tests `type` for plain values (no wildcards,
/// no modifiers but `cased`). `and` intersects, `or` unions, `not` knows nothing.
enum TypeConstraint {
    static func of(_ expression: ConditionExpression, selections: [Selection]) -> Set<String>? {
        switch expression {
        case .selection(let index): return of(selections[index])
        case .not: return nil
        case .and(let parts): return intersect(parts.map { of($0, selections: selections) })
        case .allOf(let indices): return intersect(indices.map { of(selections[$0]) })
        case .or(let parts): return union(parts.map { of($0, selections: selections) })
        case .anyOf(let indices): return union(indices.map { of(selections[$0]) })
        }
    }

    private static func of(_ selection: Selection) -> Set<String>? {
        union(
            selection.alternatives.map { tests -> Set<String>? in
                intersect(
                    tests.map { test -> Set<String>? in
                        guard test.field == "type", test.modifiers.allSatisfy({ $0 == .cased }) else { return nil }
                        var types: Set<String> = []
                        for value in test.values {
                            guard case .string(let text) = value.value, !text.contains(where: { "*?\\".contains($0) })
                            else { return nil }
                            types.insert(text.lowercased())
                        }
                        return types
                    })
            })
    }

    private static func intersect(_ sets: [Set<String>?]) -> Set<String>? {
        sets.compactMap { $0 }.reduce(nil) { partial, next in partial.map { $0.intersection(next) } ?? next }
    }

    private static func union(_ sets: [Set<String>?]) -> Set<String>? {
        guard !sets.isEmpty, !sets.contains(where: { $0 == nil }) else { return nil }
        return sets.reduce(into: Set<String>()) { $0.formUnion($1!) }
    }
}
