/// A compiled `field|modifiers: values` entry of a selection.
/// A class: a selection's loops pass one reference per entry, where copying the struct retained
/// and released its path, test and label for every entry tested.
// @unchecked: immutable after init; `anyPredicates` is memory only this object frees.
final class FieldMatcher: @unchecked Sendable {
    enum Test: Sendable {
        /// Any predicate matches any value (`requireAll`: each predicate matches some value).
        /// `negated` is Sigma's `neq`: the field differs from every listed value, or is missing
        /// (pySigma negates the item, so a missing field matches).
        case values([PredicateNode], requireAll: Bool, negated: Bool)
        /// `field: null`: the field is missing or JSON null.
        case null
        /// `field|neq: null`: the field holds a value other than null.
        case notNull
        /// `field|exists: true|false`: presence only; a null value is present.
        case exists(Bool)
        /// `fieldref`: equal to (with `startswith`/`endswith`/`contains`: begins with, ends with,
        /// holds) the value of another field of the event; negated: not so, or a field missing.
        case fieldReference(
            [FieldPath], placement: TextPattern.Shape, caseSensitive: Bool, requireAll: Bool, negated: Bool)
        /// A keyword: any predicate matches some scalar value of the event, at any depth
        /// (`requireAll`: each predicate matches some value). `path` is not read.
        case keywords([PredicateNode], requireAll: Bool)
    }

    let path: FieldPath
    let test: Test
    /// The entry as written (`field|mods: values`), for `rules explain`.
    let label: String
    /// The path's slot in the rule set's slot table (`PathSlots`), or -1 (keywords, or a rule
    /// not yet in a rule set).
    let slot: Int
    /// `.values`' predicates unretained, when any one of them decides (one predicate, or not
    /// `requireAll`); empty otherwise. Iterating the array retained each predicate per scalar
    /// tested (14 retains and releases per event on 1,000 rules); `test` keeps them alive.
    private let anyPredicates: FrozenArray<Unmanaged<PredicateNode>>

    /// An entry testing `path`; `label` and `slot` as the properties say.
    init(path: FieldPath, test: Test, label: String = "", slot: Int = -1) {
        self.path = path
        self.test = test
        self.label = label
        self.slot = slot
        if case .values(let predicates, let requireAll, _) = test, predicates.count == 1 || !requireAll {
            anyPredicates = FrozenArray(predicates.map { Unmanaged.passUnretained($0) })
        } else {
            anyPredicates = FrozenArray([])
        }
    }

    deinit { anyPredicates.deallocate() }

    /// The same entry, labelled as written.
    func labelled(_ label: String) -> FieldMatcher {
        FieldMatcher(path: path, test: test, label: label, slot: slot)
    }

    /// The same entry, reading its path's node from slot `slot` of the rule set's table.
    func slotted(_ slot: Int) -> FieldMatcher {
        FieldMatcher(path: path, test: test, label: label, slot: slot)
    }

    var isKeyword: Bool {
        if case .keywords = test { return true }
        return false
    }

    func matches(_ event: Event) -> Bool {
        event.withView { matches($0) }
    }

    func matches(_ event: EventView) -> Bool {
        if case .keywords = test { return matchesKeywords(event) }
        return matches(event, resolved: event.resolve(path))
    }

    /// As `matches(_:)`, the path's node read from the event's slot table.
    @inline(__always)
    func matches(_ event: EventView, slots: PathSlots) -> Bool {
        if slot < 0 { return matches(event) }
        return matches(event, resolved: slots.node(slot, path, event))
    }

    private func matchesKeywords(_ event: EventView) -> Bool {
        guard case .keywords(let predicates, let requireAll) = test else { return false }
        func found(_ predicate: PredicateNode) -> Bool {
            event.anyValue(in: event.root) { predicate.matches(event, $0) }
        }
        return requireAll ? predicates.allSatisfy(found) : predicates.contains(where: found)
    }

    /// `node` is what `event.resolve(path)` gives.
    private func matches(_ event: EventView, resolved node: Int) -> Bool {
        // Most paths reach one node (no array on the way): test it directly.
        if node != EventView.branches {
            switch test {
            case .null:
                return node == EventView.missing || event.kind(node) == .null
            case .notNull:
                return node != EventView.missing && event.kind(node) != .null
            case .exists(let expected):
                return (node != EventView.missing) == expected
            case .values(_, let requireAll, let negated) where anyPredicates.count == 1 || !requireAll:
                guard node != EventView.missing else { return negated }
                let matched = event.anyScalar(node) { scalar in anyPredicateMatches(event, scalar) }
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
        case .notNull:
            return event.forEachValue(path) { node in event.kind(node) != .null }
        case .exists(let expected):
            return event.forEachValue(path) { _ in true } == expected
        case .values(let predicates, let requireAll, let negated):
            if predicates.count == 1 || !requireAll {
                var matched = false
                _ = event.forEachValue(path) { node in
                    matched = event.anyScalar(node) { scalar in anyPredicateMatches(event, scalar) }
                    return matched
                }
                return negated ? !matched : matched
            }
            var satisfied = [Bool](repeating: false, count: predicates.count)
            event.forEachValue(path) { node in
                _ = event.anyScalar(node) { scalar in
                    for (index, predicate) in predicates.enumerated()
                    where !satisfied[index] && predicate.matches(event, scalar) {
                        satisfied[index] = true
                    }
                    return false
                }
                return !satisfied.contains(false)
            }
            return !satisfied.contains(false)
        case .fieldReference(let others, let placement, let caseSensitive, let requireAll, let negated):
            let mine = texts(event, path, caseSensitive: caseSensitive)
            let results = others.map { other -> Bool in
                let theirs = texts(event, other, caseSensitive: caseSensitive)
                let related: Bool
                switch placement {
                case .prefix:
                    related = mine.contains { text in theirs.contains { text.utf8.starts(with: $0.utf8) } }
                case .suffix:
                    related = mine.contains { text in
                        theirs.contains { text.utf8.reversed().starts(with: $0.utf8.reversed()) }
                    }
                case .contains:
                    related = mine.contains { text in theirs.contains { FieldMatcher.holds(text, $0) } }
                case .exact, .glob:
                    related = !mine.isDisjoint(with: theirs)
                }
                return negated ? !related : related
            }
            return requireAll ? !results.contains(false) : results.contains(true)
        case .keywords:
            return matchesKeywords(event)
        }
    }

    /// Whether one of `anyPredicates` matches the scalar at `scalar`.
    @inline(__always)
    private func anyPredicateMatches(_ event: EventView, _ scalar: Int) -> Bool {
        let predicates = anyPredicates
        var index = 0
        while index < predicates.count {
            if predicates[index]._withUnsafeGuaranteedRef({ $0.matches(event, scalar) }) { return true }
            index += 1
        }
        return false
    }

    /// Whether `text` holds `part` as a run of bytes (the empty text is in every text).
    static func holds(_ text: String, _ part: String) -> Bool {
        let haystack = Array(text.utf8), needle = Array(part.utf8)
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<start + needle.count].elementsEqual(needle)
        }
    }

    /// The texts of the values `path` reaches in `event` (for explanations).
    func actualValues(_ event: Event) -> [String] {
        var result: [String] = []
        if case .keywords(let predicates, _) = test {
            // The values a keyword found, since it has no field of its own.
            _ = event.withView { view in
                view.anyValue(in: view.root) { node in
                    if predicates.contains(where: { $0.matches(view, node) }) {
                        result.append(
                            view.kind(node) == .string
                                ? JSONWriter.quoted(view.text(node) ?? "") : view.text(node) ?? "")
                    }
                    return result.count >= 5
                }
            }
            return result
        }
        event.forEachValue(path) { node in
            let kind = event.document.kind(node)
            result.append(
                kind == .object || kind == .array
                    ? JSONWriter.serialize(event.document, node)
                    : (kind == .string
                        ? JSONWriter.quoted(event.document.text(node) ?? "") : event.document.text(node) ?? ""))
            return result.count >= 5
        }
        // A calendar test reads Unix seconds; show them as the calendar's people read them.
        if case .values(let predicates, _, _) = test,
            let zone = predicates.lazy.compactMap({ (predicate: PredicateNode) -> ZoneRules? in
                if case .calendar(let calendar) = predicate.predicate { calendar.value.zone } else { nil }
            }).first
        {
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
