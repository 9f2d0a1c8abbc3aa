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

    /// The same expression over selections numbered `offset` higher.
    func shifted(by offset: Int) -> ConditionExpression {
        switch self {
        case .selection(let index): return .selection(index + offset)
        case .not(let inner): return .not(inner.shifted(by: offset))
        case .and(let parts): return .and(parts.map { $0.shifted(by: offset) })
        case .or(let parts): return .or(parts.map { $0.shifted(by: offset) })
        case .anyOf(let indices): return .anyOf(indices.map { $0 + offset })
        case .allOf(let indices): return .allOf(indices.map { $0 + offset })
        }
    }

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
