/// Compiles decoded rules: parses conditions and field paths, checks how the (already typed)
/// modifiers combine and what values they take, and lowers every value into a matcher. Every
/// problem is a located diagnostic. One file per modifier family (`RuleCompiler+*.swift`).
public enum RuleCompiler {

    /// Compiles one rule. Returns nil when it has errors (auditwatch never runs a rule it could not read).
    /// `filters` are the Sigma filters that name this rule; each one's condition is ANDed on.
    public static func compile(
        _ rule: Rule, calendars: [String: WorkingCalendar] = [:], filters: [SigmaFilter] = [],
        zones: (String) -> ZoneRules? = { $0 == "UTC" ? .utc : nil }
    ) -> (rule: CompiledRule?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let names = rule.detection.selections.map(\.name)
        var selections: [[[FieldMatcher]]] = []
        for selection in rule.detection.selections {
            var alternatives: [[FieldMatcher]] = []
            for tests in selection.alternatives {
                alternatives.append(
                    tests.compactMap {
                        compileLabelled($0, ruleID: rule.id, calendars: calendars, diagnostics: &diagnostics)
                    })
            }
            selections.append(alternatives)
        }
        var conditions: [ConditionExpression] = []
        for condition in rule.detection.conditions {
            var parser = ConditionParser(condition, selectionNames: names, ruleID: rule.id)
            if let expression = parser.parse() { conditions.append(expression) }
            diagnostics += parser.diagnostics
        }
        var condition: ConditionExpression = conditions.count == 1 ? conditions.first! : .or(conditions)
        // Without a condition (already an error) every selection would read as unused: no cascade.
        if !diagnostics.hasErrors && !rule.detection.conditions.isEmpty {
            let used = condition.selections
            for (index, selection) in rule.detection.selections.enumerated() where !used.contains(index) {
                diagnostics.append(
                    .warning(
                        "selection '\(selection.name)' is not used by the condition", at: selection.location,
                        ruleID: rule.id))
            }
        }
        var filterParts: [ConditionExpression] = []
        for filter in filters {
            let offset = selections.count
            for selection in filter.detection.selections {
                selections.append(
                    selection.alternatives.map { tests in
                        tests.compactMap {
                            compileLabelled($0, ruleID: rule.id, calendars: calendars, diagnostics: &diagnostics)
                        }
                    })
            }
            var filterConditions: [ConditionExpression] = []
            for text in filter.detection.conditions {
                var parser = ConditionParser(
                    text, selectionNames: filter.detection.selections.map(\.name), ruleID: filter.id ?? rule.id)
                if let expression = parser.parse() { filterConditions.append(expression.shifted(by: offset)) }
                diagnostics += parser.diagnostics
            }
            filterParts.append(filterConditions.count == 1 ? filterConditions[0] : .or(filterConditions))
        }
        if !filterParts.isEmpty { condition = .and([condition] + filterParts) }
        var summary = SummaryTemplate.standard
        if let text = rule.summary {
            let parsed = SummaryTemplate.parse(
                text, at: rule.summaryLocation ?? rule.location, ruleID: rule.id, zones: zones)
            diagnostics += parsed.diagnostics
            if let template = parsed.template { summary = template }
        }
        guard !diagnostics.hasErrors, !conditions.isEmpty else { return (nil, diagnostics) }
        let types = TypeConstraint.of(
            condition, selections: rule.detection.selections + filters.flatMap(\.detection.selections))
        let allNames =
            rule.detection.selections.map(\.name)
            + filters.flatMap { filter in filter.detection.selections.map { "filter '\(filter.title)': \($0.name)" } }
        return (
            CompiledRule(
                rule: rule, selections: selections, selectionNames: allNames, condition: condition, eventTypes: types,
                summary: summary), diagnostics
        )
    }

    private static func compileLabelled(
        _ test: FieldTest, ruleID: String, calendars: [String: WorkingCalendar], diagnostics: inout [Diagnostic]
    ) -> FieldMatcher? {
        let matcher = compile(test, ruleID: ruleID, calendars: calendars, diagnostics: &diagnostics)
        let key = ([test.isKeyword ? "keywords" : test.field] + test.modifiers.map(\.rawValue)).joined(separator: "|")
        let values = test.values.map { $0.value == .null ? "null" : JSONWriter.quoted($0.value.text) }
        return matcher?.labelled(
            key + ": " + (test.isList ? "[" + values.joined(separator: ", ") + "]" : values.first ?? ""))
    }

    /// One `field|modifiers: values` entry; keywords take their own way.
    static func compile(
        _ test: FieldTest, ruleID: String, calendars: [String: WorkingCalendar], diagnostics: inout [Diagnostic]
    ) -> FieldMatcher? {
        if test.isKeyword {
            return compileKeyword(test, ruleID: ruleID, calendars: calendars, diagnostics: &diagnostics)
        }
        let path: FieldPath
        do throws(FieldPathError) { path = try FieldPath(test.field) } catch {
            diagnostics.append(.error(error.message, at: test.location, ruleID: ruleID))
            return nil
        }
        lintTypeValues(test, ruleID: ruleID, diagnostics: &diagnostics)
        var field = FieldContext(test: test, path: path, ruleID: ruleID, calendars: calendars)
        let matcher = field.compile()
        diagnostics += field.diagnostics
        return matcher
    }

    /// A keyword (Sigma's search without a field): it matches when any scalar value of the event,
    /// at any depth, matches it, keys excluded; plain values match anywhere in the text, as
    /// full-text search does (pySigma's SQLite backend: `LIKE '%value%'` over the event's text).
    private static func compileKeyword(
        _ test: FieldTest, ruleID: String, calendars: [String: WorkingCalendar], diagnostics: inout [Diagnostic]
    ) -> FieldMatcher? {
        // The decoder refuses these; a test built in code may still hold them.
        let refused = Set(test.modifiers).subtracting(Modifier.keywordModifiers)
        guard refused.isEmpty else {
            let names = refused.map(\.rawValue).sorted().joined(separator: "', '")
            diagnostics.append(
                .error(
                    "'\(names)' cannot qualify a keyword (a value searched for in the whole event); name a field",
                    at: test.location, ruleID: ruleID))
            return nil
        }
        var asField = test
        asField.field = "keyword"
        if Set(test.modifiers).isDisjoint(with: Modifier.placements.union([.re, .base64, .base64offset])) {
            asField.modifiers.append(.contains)
        }
        // Compiled as a field test of a stand-in path, whose schema warnings do not apply.
        var found: [Diagnostic] = []
        let matcher = compile(asField, ruleID: ruleID, calendars: calendars, diagnostics: &found)
        for var diagnostic in found where diagnostic.severity == .error {
            diagnostic.message = diagnostic.message.replacing("'keyword|", with: "'|")
            diagnostics.append(diagnostic)
        }
        guard let matcher, case .values(let predicates, let requireAll, _) = matcher.test else { return nil }
        return FieldMatcher(path: matcher.path, test: .keywords(predicates, requireAll: requireAll))
    }

    /// Warnings for `type` values no documented event type has: likely typos, or events this rule
    /// will never see. (The field names are checked when the rule is decoded.)
    private static func lintTypeValues(_ test: FieldTest, ruleID: String, diagnostics: inout [Diagnostic]) {
        guard test.field == "type",
            test.modifiers.allSatisfy({ Modifier.placements.contains($0) || $0 == .cased || $0 == .all })
        else { return }
        let leading = test.modifiers.contains(.contains) || test.modifiers.contains(.endswith)
        let trailing = test.modifiers.contains(.contains) || test.modifiers.contains(.startswith)
        for value in test.values {
            guard case .string(let text) = value.value else { continue }
            let pattern = TextPattern(
                sigmaValue: text, caseSensitive: false, leadingStar: leading, trailingStar: trailing)
            let known = EventSchema.documentedTypes.contains { type in
                Array(type.utf8).withUnsafeBufferPointer { pattern.matches($0) }
            }
            if !known {
                diagnostics.append(
                    .warning(
                        "'\(text)' matches no documented event type\(EventSchema.typeSuggestion(for: text))",
                        at: value.location, ruleID: ruleID))
            }
        }
    }
}
