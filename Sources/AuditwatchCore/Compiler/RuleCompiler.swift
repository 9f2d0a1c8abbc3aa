/// Compiles decoded rules: parses conditions and field paths, validates modifier chains and
/// values, and lowers every value into a matcher. Every problem is a located diagnostic.
public enum RuleCompiler {
    /// Every modifier auditwatch evaluates.
    static let knownModifiers: Set<String> = [
        "contains", "startswith", "endswith", "all", "cased", "exists", "neq", "cidr", "fieldref",
        "lt", "lte", "gt", "gte", "re", "i", "m", "s", "base64", "base64offset", "utf16le", "utf16be",
        "utf16", "wide", "windash", "calendar", "minute", "hour", "day", "week", "month", "year", "expand",
    ]
    static let placementModifiers: Set<String> = ["contains", "startswith", "endswith"]
    static let encodingModifiers: Set<String> = ["utf16le", "utf16be", "utf16", "wide"]

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
            let parsed = SummaryTemplate.parse(text, at: rule.location, ruleID: rule.id, zones: zones)
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
        var matcher = compile(test, ruleID: ruleID, calendars: calendars, diagnostics: &diagnostics)
        let key = ([test.isKeyword ? "keywords" : test.field] + test.modifiers).joined(separator: "|")
        let values = test.values.map { $0.value == .null ? "null" : JSONWriter.quoted($0.value.text) }
        matcher?.label = key + ": " + (test.isList ? "[" + values.joined(separator: ", ") + "]" : values.first ?? "")
        return matcher
    }

    private static func compile(
        _ test: FieldTest, ruleID: String, calendars: [String: WorkingCalendar], diagnostics: inout [Diagnostic]
    ) -> FieldMatcher? {
        let key = ([test.field] + test.modifiers).joined(separator: "|")
        func fail(_ message: String, at location: SourceLocation? = nil) -> FieldMatcher? {
            diagnostics.append(.error(message, at: location ?? test.location, ruleID: ruleID))
            return nil
        }
        if test.isKeyword {
            return compileKeyword(test, ruleID: ruleID, calendars: calendars, diagnostics: &diagnostics)
        }
        let path: FieldPath
        do { path = try FieldPath(test.field) } catch { return fail(error.message) }
        lintAgainstSchema(test, path: path, ruleID: ruleID, diagnostics: &diagnostics)

        var modifiers = Set<String>()
        for modifier in test.modifiers {
            guard knownModifiers.contains(modifier) else {
                return fail(
                    "unknown modifier '\(modifier)' in '\(key)'\(Suggestions.didYouMean(modifier, in: knownModifiers.sorted()))"
                )
            }
            if modifiers.contains(modifier) { return fail("modifier '\(modifier)' appears twice in '\(key)'") }
            modifiers.insert(modifier)
        }
        if modifiers.contains("expand") {
            return fail("'expand' placeholders must be resolved before compiling (the rule loader does it)")
        }
        // An `expand` placeholder without values leaves no value: the entry matches nothing.
        if test.values.isEmpty { return FieldMatcher(path: path, test: .values([], requireAll: false, negated: false)) }
        let placement = modifiers.intersection(placementModifiers)
        // Two of contains/startswith/endswith put wildcards on both sides, as in pySigma.
        let comparisons = modifiers.intersection(ComparisonOperator.allCases.map(\.rawValue))
        if comparisons.count > 1 { return fail("only one of lt, lte, gt, gte may be used in '\(key)'") }
        let requireAll = modifiers.contains("all")
        if requireAll && !test.isList {
            return fail("'all' needs a list of values in '\(key)'; with one value it changes nothing")
        }
        let caseSensitive = modifiers.contains("cased")
        let negated = modifiers.contains("neq")
        let values = test.values
        let datePart = modifiers.compactMap(DatePart.init(rawValue:))
        func only(_ allowed: Set<String>, _ what: String) -> Bool {
            modifiers.isSubset(of: allowed.union(["all", "neq"]))
                || fail(
                    "'\(what)' cannot be combined with '\(modifiers.subtracting(allowed.union(["all", "neq"])).sorted().joined(separator: "', '"))' in '\(key)'"
                ) != nil
        }

        if values.count == 1, values[0].value == .null {
            // `neq: null` is pySigma's negated null test: a value other than null is there.
            if modifiers == ["neq"] { return FieldMatcher(path: path, test: .notNull) }
            guard modifiers.isEmpty else {
                return fail("'null' cannot take modifiers in '\(key)'; use 'exists' to test presence")
            }
            return FieldMatcher(path: path, test: .null)
        }

        if modifiers.contains("exists") {
            guard modifiers.count == 1 else {
                return fail("'exists' cannot be combined with other modifiers in '\(key)'")
            }
            guard values.count == 1, case .bool(let expected) = values[0].value else {
                return fail("'exists' takes true or false in '\(key)'", at: values.first?.location)
            }
            return FieldMatcher(path: path, test: .exists(expected))
        }

        if modifiers.contains("fieldref") {
            // pySigma accepts startswith/endswith/contains on a field reference (a LIKE on the
            // other field's value), so auditwatch does too.
            guard only(placementModifiers.union(["fieldref", "cased"]), "fieldref") else { return nil }
            var others: [FieldPath] = []
            for value in values {
                guard case .string(let name) = value.value else {
                    return fail("'fieldref' takes field names in '\(key)'", at: value.location)
                }
                if name.contains("*") || name.contains("?") {
                    return fail("'fieldref' names one field; '\(name)' has a wildcard", at: value.location)
                }
                do { others.append(try FieldPath(name)) } catch { return fail(error.message, at: value.location) }
            }
            let shape: TextPattern.Shape =
                placement.contains("contains") || placement.count > 1
                ? .contains
                : placement.contains("startswith") ? .prefix : placement.contains("endswith") ? .suffix : .exact
            return FieldMatcher(
                path: path,
                test: .fieldReference(
                    others, placement: shape, caseSensitive: caseSensitive, requireAll: requireAll, negated: negated))
        }

        var predicates: [ValuePredicate] = []
        if modifiers.contains("re") {
            // startswith/endswith/contains on a regex only add `.*` in pySigma, which changes
            // nothing for an unanchored search: accepted, and they leave the pattern as it is.
            guard only(placementModifiers.union(["re", "i", "m", "s"]), "re") else { return nil }
            let options = LinearRegex.Options(
                ignoreCase: modifiers.contains("i"), multiline: modifiers.contains("m"), dotAll: modifiers.contains("s")
            )
            for value in values {
                do {
                    predicates.append(.regex(try LinearRegex(value.value.text, options: options)))
                } catch {
                    let location = value.location.advanced(
                        byScalars: error.offset, in: value.value.text, style: value.style)
                    return fail("invalid regular expression: \(error.message)", at: location)
                }
            }
        } else if !modifiers.intersection(["i", "m", "s"]).isEmpty {
            return fail(
                "'\(modifiers.intersection(["i", "m", "s"]).sorted().joined(separator: "', '"))' only qualify 're' in '\(key)'"
            )
        } else if modifiers.contains("calendar") {
            guard only(["calendar"], "calendar") else { return nil }
            for value in values {
                guard case .string(let name) = value.value, let calendar = calendars[name] else {
                    return fail(
                        "unknown calendar '\(value.value)'\(Suggestions.didYouMean(value.value.text, in: calendars.keys.sorted()))\(calendars.isEmpty ? "; define one in a 'calendar:' document (e.g. rules/calendars.yml)" : "")",
                        at: value.location)
                }
                predicates.append(.calendar(calendar))
            }
        } else if !datePart.isEmpty {
            guard datePart.count == 1 else { return fail("only one date part may be taken in '\(key)'") }
            guard only(comparisons.union([datePart[0].rawValue]), datePart[0].rawValue) else { return nil }
            for value in values {
                guard let number = value.value.number else {
                    return fail(
                        "'\(datePart[0].rawValue)' compares numbers, found '\(value.value)'", at: value.location)
                }
                predicates.append(
                    .datePart(datePart[0], comparisons.first.flatMap(ComparisonOperator.init(rawValue:)), number))
            }
        } else if let comparison = comparisons.first.flatMap(ComparisonOperator.init(rawValue:)) {
            guard only([comparison.rawValue], comparison.rawValue) else { return nil }
            for value in values {
                guard let bound = value.value.number else {
                    return fail("'\(comparison.rawValue)' needs a number, found '\(value.value)'", at: value.location)
                }
                predicates.append(.compare(comparison, bound))
            }
        } else if modifiers.contains("cidr") {
            guard only(["cidr"], "cidr") else { return nil }
            for value in values {
                guard case .string(let text) = value.value, let network = IPNetwork(text) else {
                    return fail(
                        "'\(value.value)' is not an IPv4 or IPv6 network (like 192.0.2.0/24 or 2001:db8::/32)",
                        at: value.location)
                }
                // As pySigma (Python's ipaddress): 10.0.0.1/8 is more likely a typo than a network.
                if network.hasHostBits {
                    let advice = "write the network's own address, or the host as /32 or /128"
                    return fail("'\(text)' has host bits set: \(advice)", at: value.location)
                }
                predicates.append(.cidr(network))
            }
        } else {
            guard
                let compiled = textPredicates(
                    values, modifiers: modifiers, order: test.modifiers, key: key, fail: { fail($0, at: $1) })
            else { return nil }
            predicates = compiled
        }
        return FieldMatcher(path: path, test: .values(predicates, requireAll: requireAll, negated: negated))
    }

    /// Modifiers a keyword may take: those that shape text. A keyword has no field to compare,
    /// test for presence or reference, so the others are refused.
    static let keywordModifiers: Set<String> = placementModifiers.union(encodingModifiers).union([
        "all", "cased", "re", "i", "m", "s", "base64", "base64offset", "windash",
    ])

    /// A keyword (Sigma's search without a field): it matches when any scalar value of the event,
    /// at any depth, matches it, keys excluded; plain values match anywhere in the text, as
    /// full-text search does (pySigma's SQLite backend: `LIKE '%value%'` over the event's text).
    private static func compileKeyword(
        _ test: FieldTest, ruleID: String, calendars: [String: WorkingCalendar], diagnostics: inout [Diagnostic]
    ) -> FieldMatcher? {
        let refused = Set(test.modifiers).subtracting(keywordModifiers)
        guard refused.isEmpty else {
            let names = refused.sorted().joined(separator: "', '")
            diagnostics.append(
                .error(
                    "'\(names)' cannot qualify a keyword (a value searched for in the whole event); name a field",
                    at: test.location, ruleID: ruleID))
            return nil
        }
        var asField = test
        asField.field = "keyword"
        let modifiers = Set(test.modifiers)
        if modifiers.isDisjoint(with: placementModifiers.union(["re", "base64", "base64offset"])) {
            asField.modifiers.append("contains")
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

    /// Warnings for names the API does not document: likely typos, or events this rule will never see.
    private static func lintAgainstSchema(
        _ test: FieldTest, path: FieldPath, ruleID: String, diagnostics: inout [Diagnostic]
    ) {
        if !EventSchema.isDocumented(path) {
            diagnostics.append(
                .warning(
                    "no documented event type carries '\(test.field)'\(EventSchema.suggestion(for: path))",
                    at: test.location, ruleID: ruleID))
        }
        guard test.field == "type",
            test.modifiers.allSatisfy({ placementModifiers.contains($0) || $0 == "cased" || $0 == "all" })
        else { return }
        let leading = test.modifiers.contains("contains") || test.modifiers.contains("endswith")
        let trailing = test.modifiers.contains("contains") || test.modifiers.contains("startswith")
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

    /// Whether a value has a `*` or `?` that Sigma reads as a wildcard (not escaped by `\`).
    private static func hasWildcard(_ text: String) -> Bool {
        var escaped = false
        for character in text {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "*" || character == "?" { return true }
        }
        return false
    }

    /// Plain values with the string modifiers: placement, the encoders, `base64*`, `windash`, `cased`.
    private static func textPredicates(
        _ values: [Located<RuleValue>], modifiers: Set<String>, order: [String], key: String,
        fail: (String, SourceLocation?) -> FieldMatcher?
    ) -> [ValuePredicate]? {
        let placement = modifiers.intersection(placementModifiers)
        let leading = placement.contains("contains") || placement.contains("endswith")
        let trailing = placement.contains("contains") || placement.contains("startswith")
        let caseSensitive = modifiers.contains("cased")
        let encoders = modifiers.intersection(encodingModifiers)
        let base64 = modifiers.intersection(["base64", "base64offset"])
        if encoders.count > 1 {
            _ = fail("only one of utf16le, utf16be, utf16, wide may be used in '\(key)'", nil); return nil
        }
        if base64.count > 1 { _ = fail("'base64' and 'base64offset' cannot be combined in '\(key)'", nil); return nil }
        if !encoders.isEmpty && base64.isEmpty {
            _ = fail("'\(encoders.first!)' only works in front of base64 or base64offset in '\(key)'", nil); return nil
        }
        // `windash|base64…` encodes each dash variant (as pySigma); the other order would read
        // Base64's own '/' as a dash.
        let windashFirst =
            (order.firstIndex(of: "windash") ?? .max) < (order.firstIndex { base64.contains($0) } ?? .max)
        if modifiers.contains("windash") && !base64.isEmpty && !windashFirst {
            _ = fail("'windash' must come before base64 in '\(key)'", nil)
            return nil
        }
        if modifiers.contains("all") && (modifiers.contains("windash") || base64.contains("base64offset")) {
            _ = fail("'all' cannot be combined with modifiers that expand a value into variants in '\(key)'", nil)
            return nil
        }
        let encoding: ValueEncoding.TextEncoding =
            switch encoders.first {
            case "utf16le", "wide": .utf16le
            case "utf16be": .utf16be
            case "utf16": .utf16
            default: .utf8
            }
        var predicates: [ValuePredicate] = []
        for value in values {
            if value.value == .null { _ = fail("null must be its own selection entry", value.location); return nil }
            var texts = [value.value.text]
            var wildcards = true
            if !base64.isEmpty {
                if hasWildcard(value.value.text) {
                    _ = fail(
                        "'\(base64.first!)' encodes the value as written, so it cannot hold a wildcard; "
                            + "escape it as \\* or \\?", value.location)
                    return nil
                }
                let plain = modifiers.contains("windash") ? ValueEncoding.windashVariants(value.value.text) : texts
                if plain.count > 625 {
                    _ = fail(
                        "'windash' on '\(value.value)' makes more than 625 variants; split the value", value.location);
                    return nil
                }
                let bytes = plain.map { ValueEncoding.bytes($0, encoding) }
                texts =
                    base64.contains("base64")
                    ? bytes.map(ValueEncoding.base64) : bytes.flatMap(ValueEncoding.base64Offsets)
                wildcards = false
            } else if modifiers.contains("windash") {
                texts = texts.flatMap(ValueEncoding.windashVariants)
                if texts.count > 625 {
                    _ = fail(
                        "'windash' on '\(value.value)' makes more than 625 variants; split the value", value.location);
                    return nil
                }
            }
            // Case-insensitive like every Sigma value unless `cased`, as the spec and pySigma say
            // (Base64 text itself is case-sensitive; a rule wanting that writes `cased`).
            let exact = caseSensitive
            for text in texts {
                let pattern = TextPattern(
                    sigmaValue: text, caseSensitive: exact, leadingStar: leading, trailingStar: trailing,
                    wildcards: wildcards)
                let plain = placement.isEmpty && base64.isEmpty && !modifiers.contains("windash")
                switch value.value {
                case .int, .double:
                    predicates.append(plain ? .number(value.value.number!, pattern) : .text(pattern))
                case .bool(let flag):
                    predicates.append(plain ? .boolean(flag, pattern) : .text(pattern))
                default:
                    predicates.append(.text(pattern))
                }
            }
        }
        return predicates
    }
}
