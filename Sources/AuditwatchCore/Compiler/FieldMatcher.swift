/// A compiled `field|modifiers: values` entry of a selection.
struct FieldMatcher: Sendable {
    enum Test: Sendable {
        /// Any predicate matches any value (`requireAll`: each predicate matches some value).
        /// `negated` is Sigma's `neq`: the field exists and differs from every listed value.
        case values([ValuePredicate], requireAll: Bool, negated: Bool)
        /// `field: null`: the field is missing or JSON null.
        case null
        /// `field|exists: true|false`: presence only; a null value is present.
        case exists(Bool)
        /// `fieldref`: equal (or, negated, different) to the value of another field of the event.
        case fieldReference([FieldPath], caseSensitive: Bool, requireAll: Bool, negated: Bool)
    }

    let path: FieldPath
    let test: Test
    /// The entry as written (`field|mods: values`), for `rules explain`.
    var label: String = ""

    func matches(_ event: Event) -> Bool {
        event.withView { matches($0) }
    }

    func matches(_ event: EventView) -> Bool {
        // Most paths reach one node (no array on the way): test it directly.
        let node = event.resolve(path)
        if node != EventView.branches {
            switch test {
            case .null:
                return node == EventView.missing || event.kind(node) == .null
            case .exists(let expected):
                return (node != EventView.missing) == expected
            case .values(let predicates, let requireAll, let negated) where predicates.count == 1 || !requireAll:
                guard node != EventView.missing else { return false }
                let matched = event.anyScalar(node) { scalar in predicates.contains { $0.matches(event, scalar) } }
                return negated ? !matched : matched
            default:
                break
            }
        }
        switch test {
        case .null:
            var sawValue = false
            var sawNull = false
            event.forEachValue(path) { node in
                sawValue = true
                if event.kind(node) == .null { sawNull = true; return true }
                return false
            }
            return !sawValue || sawNull
        case .exists(let expected):
            return event.forEachValue(path) { _ in true } == expected
        case .values(let predicates, let requireAll, let negated):
            if predicates.count == 1 || !requireAll {
                var matched = false
                let found = event.forEachValue(path) { node in
                    matched = event.anyScalar(node) { scalar in
                        predicates.contains { $0.matches(event, scalar) }
                    }
                    return matched
                }
                return negated ? found && !matched : matched
            }
            var satisfied = [Bool](repeating: false, count: predicates.count)
            event.forEachValue(path) { node in
                _ = event.anyScalar(node) { scalar in
                    for (index, predicate) in predicates.enumerated() where !satisfied[index] && predicate.matches(event, scalar) {
                        satisfied[index] = true
                    }
                    return false
                }
                return !satisfied.contains(false)
            }
            return !satisfied.contains(false)
        case .fieldReference(let others, let caseSensitive, let requireAll, let negated):
            let mine = texts(event, path, caseSensitive: caseSensitive)
            guard !mine.isEmpty else { return false }
            let results = others.map { other -> Bool in
                let theirs = texts(event, other, caseSensitive: caseSensitive)
                let equal = !theirs.isEmpty && !mine.isDisjoint(with: theirs)
                return negated ? !equal : equal
            }
            return requireAll ? !results.contains(false) : results.contains(true)
        }
    }

    /// The texts of the values `path` reaches in `event` (for explanations).
    func actualValues(_ event: Event) -> [String] {
        var result: [String] = []
        event.forEachValue(path) { node in
            let kind = event.document.kind(node)
            result.append(kind == .object || kind == .array ? JSONWriter.serialize(event.document, node) : (kind == .string ? JSONWriter.quoted(event.document.text(node) ?? "") : event.document.text(node) ?? ""))
            return result.count >= 5
        }
        // A calendar test reads Unix seconds; show them as the calendar's people read them.
        if case .values(let predicates, _, _) = test,
           let zone = predicates.lazy.compactMap({ predicate -> ZoneRules? in
               if case .calendar(let calendar) = predicate { calendar.zone } else { nil }
           }).first {
            result = result.map { text in Int64(text).map { "\(text) = " + LocalTimeText.text($0, in: zone) } ?? text }
        }
        return result
    }

    private func texts(_ event: EventView, _ path: FieldPath, caseSensitive: Bool) -> Set<String> {
        var result: Set<String> = []
        event.forEachValue(path) { node in
            _ = event.anyScalar(node) { scalar in
                if event.kind(scalar) != .null, let text = event.text(scalar) {
                    result.insert(caseSensitive ? text : text.lowercased())
                }
                return false
            }
            return false
        }
        return result
    }
}
