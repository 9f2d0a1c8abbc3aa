extension RuleCompiler {
    /// One `field|modifiers: values` entry being compiled: its modifiers as a set, the facts every
    /// family reads, and the diagnostics found. Each modifier family lowers the values in a file of
    /// its own (`RuleCompiler+Text.swift`, `+Regex`, `+Numeric`, `+Network`, `+Times`, `+Presence`).
    struct FieldContext {
        let test: FieldTest
        let path: FieldPath
        let ruleID: String
        let calendars: [String: WorkingCalendar]
        let modifiers: Set<Modifier>
        /// How the entry is quoted in messages: `field|mod|mod`.
        let key: String
        var diagnostics: [Diagnostic] = []

        init(test: FieldTest, path: FieldPath, ruleID: String, calendars: [String: WorkingCalendar]) {
            self.test = test
            self.path = path
            self.ruleID = ruleID
            self.calendars = calendars
            modifiers = Set(test.modifiers)
            key = test.key
        }

        var values: [Located<RuleValue>] { test.values }
        var requireAll: Bool { modifiers.contains(.all) }
        var negated: Bool { modifiers.contains(.neq) }
        var caseSensitive: Bool { modifiers.contains(.cased) }
        var placement: Set<Modifier> { modifiers.intersection(Modifier.placements) }
        var comparisons: [ComparisonOperator] { test.modifiers.compactMap(\.comparison) }

        /// Records an error (at the entry's key unless told) and gives the nil a family returns.
        mutating func fail<T>(_ message: String, at location: SourceLocation? = nil) -> T? {
            diagnostics.append(.error(message, at: location ?? test.location, ruleID: ruleID))
            return nil
        }

        /// Whether the modifiers are only `allowed` (plus `all` and `neq`, which fit every family);
        /// if not, reports the others as not combinable with `what`.
        mutating func only(_ allowed: Set<Modifier>, _ what: String) -> Bool {
            let others = modifiers.subtracting(allowed.union([.all, .neq]))
            guard others.isEmpty else {
                let list = others.map(\.rawValue).sorted().joined(separator: "', '")
                let _: Bool? = fail("'\(what)' cannot be combined with '\(list)' in '\(key)'")
                return false
            }
            return true
        }

        /// The matcher for the entry: the checks every family shares, then the family's own.
        mutating func compile() -> FieldMatcher? {
            if modifiers.contains(.expand) {
                return fail("'expand' placeholders must be resolved before compiling (the rule loader does it)")
            }
            // An `expand` placeholder without values leaves no value: the entry matches nothing.
            if values.isEmpty { return FieldMatcher(path: path, test: .values([], requireAll: false, negated: false)) }
            if comparisons.count > 1 { return fail("only one of lt, lte, gt, gte may be used in '\(key)'") }
            if requireAll && !test.isList {
                return fail("'all' needs a list of values in '\(key)'; with one value it changes nothing")
            }
            if values.count == 1, values[0].value == .null { return nullTest() }
            if modifiers.contains(.exists) { return existsTest() }
            if modifiers.contains(.fieldref) { return fieldReference() }
            guard let predicates = valuePredicates() else { return nil }
            return FieldMatcher(
                path: path, test: .values(predicates.map(PredicateNode.init), requireAll: requireAll, negated: negated))
        }

        /// The value tests, by the family the modifiers select.
        private mutating func valuePredicates() -> [ValuePredicate]? {
            if modifiers.contains(.re) { return regexPredicates() }
            let flags = modifiers.intersection(Modifier.regexFlags)
            if !flags.isEmpty {
                return fail(
                    "'\(flags.map(\.rawValue).sorted().joined(separator: "', '"))' only qualify 're' in '\(key)'")
            }
            if modifiers.contains(.calendar) { return calendarPredicates() }
            let parts = test.modifiers.compactMap(\.datePart)
            if !parts.isEmpty { return datePartPredicates(parts) }
            if let comparison = comparisons.first { return comparisonPredicates(comparison) }
            if modifiers.contains(.cidr) { return networkPredicates() }
            return textPredicates()
        }
    }
}
