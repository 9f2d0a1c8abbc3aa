/// A parsed Sigma condition over selection indices.
public indirect enum ConditionExpression: Sendable, Equatable {
    case selection(Int)
    case not(ConditionExpression)
    case and([ConditionExpression])
    case or([ConditionExpression])
    /// `1 of pattern`: any of these selections.
    case anyOf([Int])
    /// `all of pattern`: every one of these selections.
    case allOf([Int])

    /// The selections the expression reads.
    var selections: Set<Int> {
        switch self {
        case .selection(let index): return [index]
        case .not(let inner): return inner.selections
        case .and(let parts), .or(let parts): return parts.reduce(into: Set<Int>()) { $0.formUnion($1.selections) }
        case .anyOf(let indices), .allOf(let indices): return Set(indices)
        }
    }
}
