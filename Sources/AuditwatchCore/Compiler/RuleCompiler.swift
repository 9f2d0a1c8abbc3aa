/// Compiles decoded rules: parses conditions and field paths, validates modifier chains and
/// values, and lowers every value into a matcher. Every problem is a located diagnostic.
public enum RuleCompiler {
    /// Modifiers auditwatch evaluates.
    static let supportedModifiers: Set<String> = [
        "contains", "startswith", "endswith", "all", "cased", "exists", "neq", "cidr", "fieldref",
        "lt", "lte", "gt", "gte",
    ]
    /// Sigma modifiers auditwatch recognises but does not evaluate (yet, or for this log).
    static let recognisedModifiers: Set<String> = [
        "re", "i", "m", "s", "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash",
        "expand", "calendar", "minute", "hour", "day", "week", "month", "year",
    ]

    /// Compiles one rule. Returns nil when it has errors (auditwatch never runs a rule it could not read).
    public static func compile(_ rule: Rule) -> (rule: CompiledRule?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let names = rule.detection.selections.map(\.name)
        var selections: [[[FieldMatcher]]] = []
        for selection in rule.detection.selections {
            var alternatives: [[FieldMatcher]] = []
            for tests in selection.alternatives {
                alternatives.append(tests.compactMap { compile($0, ruleID: rule.id, diagnostics: &diagnostics) })
            }
            selections.append(alternatives)
        }
        var conditions: [ConditionExpression] = []
        for condition in rule.detection.conditions {
            var parser = ConditionParser(condition, selectionNames: names, ruleID: rule.id)
            if let expression = parser.parse() { conditions.append(expression) }
            diagnostics += parser.diagnostics
        }
        let condition: ConditionExpression = conditions.count == 1 ? conditions.first! : .or(conditions)
        if !diagnostics.hasErrors {
            let used = condition.selections
            for (index, selection) in rule.detection.selections.enumerated() where !used.contains(index) {
                diagnostics.append(.warning("selection '\(selection.name)' is not used by the condition", at: selection.location, ruleID: rule.id))
            }
        }
        var summary = SummaryTemplate.standard
        if let text = rule.summary {
            let parsed = SummaryTemplate.parse(text, at: rule.location, ruleID: rule.id)
            diagnostics += parsed.diagnostics
            if let template = parsed.template { summary = template }
        }
        guard !diagnostics.hasErrors, !conditions.isEmpty else { return (nil, diagnostics) }
        let types = TypeConstraint.of(condition, selections: rule.detection.selections)
        return (CompiledRule(rule: rule, selections: selections, condition: condition, eventTypes: types, summary: summary), diagnostics)
    }

    private static func compile(_ test: FieldTest, ruleID: String, diagnostics: inout [Diagnostic]) -> FieldMatcher? {
        let key = ([test.field] + test.modifiers).joined(separator: "|")
        func fail(_ message: String, at location: SourceLocation? = nil) -> FieldMatcher? {
            diagnostics.append(.error(message, at: location ?? test.location, ruleID: ruleID))
            return nil
        }
        let path: FieldPath
        do { path = try FieldPath(test.field) } catch { return fail(error.message) }

        var modifiers = Set<String>()
        for modifier in test.modifiers {
            if !supportedModifiers.contains(modifier) {
                if recognisedModifiers.contains(modifier) {
                    return fail("modifier '\(modifier)' is not supported by this version of auditwatch")
                }
                return fail("unknown modifier '\(modifier)' in '\(key)'\(Suggestions.didYouMean(modifier, in: supportedModifiers.union(recognisedModifiers).sorted()))")
            }
            if modifiers.contains(modifier) { return fail("modifier '\(modifier)' appears twice in '\(key)'") }
            modifiers.insert(modifier)
        }
        let placement = modifiers.intersection(["contains", "startswith", "endswith"])
        if placement.count > 1 { return fail("'\(placement.sorted().joined(separator: "' and '"))' cannot be combined in '\(key)'") }
        let comparisons = modifiers.intersection(ComparisonOperator.allCases.map(\.rawValue))
        if comparisons.count > 1 { return fail("only one of lt, lte, gt, gte may be used in '\(key)'") }
        let requireAll = modifiers.contains("all")
        if requireAll && !test.isList { return fail("'all' needs a list of values in '\(key)'; with one value it changes nothing") }
        let caseSensitive = modifiers.contains("cased")
        let values = test.values

        if values.count == 1, values[0].value == .null {
            guard modifiers.isEmpty else { return fail("'null' cannot take modifiers in '\(key)'; use 'exists' to test presence") }
            return FieldMatcher(path: path, test: .null)
        }

        if modifiers.contains("exists") {
            guard modifiers.count == 1 else { return fail("'exists' cannot be combined with other modifiers in '\(key)'") }
            guard values.count == 1, case .bool(let expected) = values[0].value else {
                return fail("'exists' takes true or false in '\(key)'", at: values.first?.location)
            }
            return FieldMatcher(path: path, test: .exists(expected))
        }

        if modifiers.contains("fieldref") {
            let allowed: Set<String> = ["fieldref", "cased", "all", "neq"]
            guard modifiers.isSubset(of: allowed) else {
                return fail("'fieldref' can be combined only with cased, all and neq in '\(key)'")
            }
            var others: [FieldPath] = []
            for value in values {
                guard case .string(let name) = value.value else { return fail("'fieldref' takes field names in '\(key)'", at: value.location) }
                do { others.append(try FieldPath(name)) } catch { return fail(error.message, at: value.location) }
            }
            return FieldMatcher(path: path, test: .fieldReference(others, caseSensitive: caseSensitive, requireAll: requireAll, negated: modifiers.contains("neq")))
        }

        var predicates: [ValuePredicate] = []
        if let comparison = comparisons.first.flatMap(ComparisonOperator.init(rawValue:)) {
            guard modifiers.isSubset(of: [comparison.rawValue, "all"]) else {
                return fail("'\(comparison.rawValue)' cannot be combined with string modifiers in '\(key)'")
            }
            for value in values {
                guard let bound = value.value.number else {
                    return fail("'\(comparison.rawValue)' needs a number, found '\(value.value)'", at: value.location)
                }
                predicates.append(.compare(comparison, bound))
            }
        } else if modifiers.contains("cidr") {
            guard modifiers.isSubset(of: ["cidr", "all", "neq"]) else {
                return fail("'cidr' can be combined only with all and neq in '\(key)'")
            }
            for value in values {
                guard case .string(let text) = value.value, let network = IPNetwork(text) else {
                    return fail("'\(value.value)' is not an IPv4 or IPv6 network (like 192.0.2.0/24 or 2001:db8::/32)", at: value.location)
                }
                predicates.append(.cidr(network))
            }
        } else {
            let leading = modifiers.contains("contains") || modifiers.contains("endswith")
            let trailing = modifiers.contains("contains") || modifiers.contains("startswith")
            for value in values {
                let pattern = TextPattern(sigmaValue: value.value.text, caseSensitive: caseSensitive, leadingStar: leading, trailingStar: trailing)
                switch value.value {
                case .int, .double:
                    if placement.isEmpty, let number = value.value.number {
                        predicates.append(.number(number, pattern))
                    } else {
                        predicates.append(.text(pattern))
                    }
                case .bool(let flag) where placement.isEmpty:
                    predicates.append(.boolean(flag, pattern))
                case .null:
                    return fail("null must be its own selection entry", at: value.location)
                default:
                    predicates.append(.text(pattern))
                }
            }
        }
        return FieldMatcher(path: path, test: .values(predicates, requireAll: requireAll, negated: modifiers.contains("neq")))
    }
}
