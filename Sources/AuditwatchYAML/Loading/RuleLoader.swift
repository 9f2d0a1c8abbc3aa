import AuditwatchCore
import Foundation

/// Loads rules from files and directory trees: every `*.yml`/`*.yaml`, several documents per
/// file, rules, Sigma filters and calendars mixed freely. It collects every problem of every
/// file; callers refuse to run when any is an error.
public struct RuleLoader {
    /// What a load produced.
    public struct Loaded: Sendable {
        public var rules: [CompiledRule] = []
        public var diagnostics: [Diagnostic] = []
        public var sources = SourceFiles()
        /// Files read, in load order.
        public var files: [String] = []
        /// Rules written for another log source, loaded but not run.
        public var skipped: [Rule] = []
        public var calendars: [String: WorkingCalendar] = [:]
        public var filters: [SigmaFilter] = []
        /// The placeholder values the rules were expanded with: the files' defaults, then the tuning's.
        public var placeholders: [String: [String]] = [:]
        /// The placeholders each rule (by id) refers to, for the catalog.
        public var placeholderUses: [String: [String]] = [:]
        public var correlations: [CompiledCorrelation] = []
        /// `tests:` lists found in the files: the list, its file, and the rule it sits in (inline tests).
        public var tests: [(list: DocumentNode, file: String, rule: String?)] = []
        /// The rule set, when loading found no error.
        public var ruleSet: RuleSet? { diagnostics.hasErrors ? nil : RuleSet(rules, correlations: correlations) }
    }

    private let zones: any ZoneLookup
    /// Calendars that replace those of the same name in the files (a test's pinned calendars).
    public var calendarOverrides: [String: WorkingCalendar] = [:]
    /// The organization's tuning (auditwatch.yml, `--placeholders`): placeholder values, calendar
    /// settings, disabled rules and level overrides, applied to every rule loaded.
    public var tuning = RuleTuning()

    /// `zones` resolves the calendars' and templates' time zones (the tool passes the system's zone database).
    public init(zones: any ZoneLookup) {
        self.zones = zones
    }

    /// Loads every rule file under `paths` (files or directories).
    public func load(_ paths: [String]) -> Loaded {
        var result = Loaded()
        var texts: [(file: String, text: String)] = []
        for path in paths {
            switch RuleFiles.find(path) {
            case .success(let found):
                for file in found {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        result.diagnostics.append(.error("cannot read rule file '\(file)'", at: nil))
                        continue
                    }
                    texts.append((file, String(decoding: data, as: UTF8.self)))
                }
            case .failure(let problem):
                result.diagnostics.append(.error(problem.message, at: nil))
            }
        }
        load(texts, into: &result)
        return result
    }

    /// Loads the documents of YAML texts given directly (tests, standard input).
    public func load(text: String, file: String) -> Loaded {
        var result = Loaded()
        load([(file, text)], into: &result)
        return result
    }

    private func load(_ texts: [(file: String, text: String)], into result: inout Loaded) {
        var documents: [(kind: DocumentKind, node: DocumentNode)] = []
        for (file, text) in texts {
            result.files.append(file)
            result.sources.add(file, text: text)
            let parsed = YAMLDocumentReader.read(text, file: file)
            result.diagnostics += parsed.diagnostics
            documents += parsed.documents.map { (DocumentKind.of($0), $0) }
            for document in parsed.documents {
                guard let list = document["tests"] else { continue }
                let owner =
                    document["detection"] != nil || document["correlation"] != nil
                    ? (document["id"] ?? document["name"])?.scalar?.text : nil
                result.tests.append((list, file, owner))
            }
        }
        // Calendars and filters first: rules refer to them wherever they are defined.
        var calendarPlaces: [String: SourceLocation] = [:]
        // Defined but invalid (already reported): a rule using one gets no "unknown calendar" too.
        var invalidCalendars: Set<String> = []
        for (kind, node) in documents {
            switch kind {
            case .calendar:
                let decoded = CalendarDecoder.decode(tuned(calendar: node), zone: zones.zone)
                result.diagnostics += decoded.diagnostics
                guard let calendar = decoded.calendar else {
                    if let name = node["calendar"]?["name"]?.scalar?.text ?? node["name"]?.scalar?.text {
                        invalidCalendars.insert(name)
                    }
                    continue
                }
                if let first = calendarPlaces[calendar.name] {
                    result.diagnostics.append(
                        .error(
                            "duplicate calendar '\(calendar.name)'; it is also defined at \(first)", at: node.location))
                    continue
                }
                calendarPlaces[calendar.name] = node.location
                result.calendars[calendar.name] = calendar
            case .filter:
                let decoded = FilterDecoder.decode(node)
                result.diagnostics += decoded.diagnostics
                if let filter = decoded.filter { result.filters.append(filter) }
            case .unknown(let message):
                result.diagnostics.append(.error(message, at: node.location))
            case .placeholders:
                var defaults: [Diagnostic] = []
                let values = RuleTuning.decodePlaceholders(node["placeholders"]!, diagnostics: &defaults)
                result.diagnostics += defaults
                for (name, list) in values {
                    if result.placeholders[name] != nil {
                        result.diagnostics.append(
                            .error("placeholder '\(name)' is defined twice in the rule files", at: node.location))
                    }
                    result.placeholders[name] = list
                }
            case .empty, .tests, .rule, .correlation:
                break
            }
        }
        result.placeholders.merge(tuning.placeholders) { _, tuned in tuned }
        for index in result.filters.indices {
            let filter = result.filters[index]
            let expanded = PlaceholderExpansion.apply(
                filter.detection, placeholders: result.placeholders, ruleID: filter.id)
            result.filters[index].detection = expanded.detection
            result.diagnostics += expanded.diagnostics
        }
        for name in tuning.calendars.keys.sorted() where calendarPlaces[name] == nil {
            let node = tuning.calendars[name]!.node
            let hint = Suggestions.didYouMean(name, in: calendarPlaces.keys.sorted())
            result.diagnostics.append(
                .error("the config sets calendar '\(name)', which no rule file defines\(hint)", at: node.location))
        }
        for (name, calendar) in calendarOverrides { result.calendars[name] = calendar }
        var decodedRules: [(rule: Rule, diagnostics: [Diagnostic])] = []
        var firstDefinition: [String: SourceLocation] = [:]
        var names: [String: String] = [:]
        for (kind, node) in documents {
            guard case .rule = kind else { continue }
            let decoded = RuleDecoder.decode(node)
            var diagnostics = decoded.diagnostics
            guard var rule = decoded.rule else {
                result.diagnostics += diagnostics
                continue
            }
            if let first = firstDefinition[rule.id] {
                diagnostics.append(
                    .error(
                        "duplicate rule id '\(rule.id)'; it is also defined at \(first)", at: rule.location,
                        ruleID: rule.id))
            } else {
                firstDefinition[rule.id] = rule.location
            }
            if let name = rule.name { names[name] = rule.id }
            let expanded = PlaceholderExpansion.apply(
                rule.detection, placeholders: result.placeholders, ruleID: rule.id)
            rule.detection = expanded.detection
            diagnostics += expanded.diagnostics
            if !expanded.used.isEmpty { result.placeholderUses[rule.id] = expanded.used }
            decodedRules.append((rule, diagnostics))
        }
        var filtersByRule: [String: [SigmaFilter]] = [:]
        for filter in result.filters {
            guard let targets = filter.rules else {
                // `rules: any`: every rule of the filter's log source.
                for (rule, _) in decodedRules
                where filter.logSource.isOpenAIAuditLog == (rule.logSource?.isOpenAIAuditLog ?? true) {
                    filtersByRule[rule.id, default: []].append(filter)
                }
                continue
            }
            for target in targets {
                guard let id = firstDefinition[target.value] != nil ? target.value : names[target.value] else {
                    result.diagnostics.append(
                        .error(
                            "filter names unknown rule '\(target.value)'\(Suggestions.didYouMean(target.value, in: firstDefinition.keys.sorted()))",
                            at: target.location, ruleID: filter.id))
                    continue
                }
                filtersByRule[id, default: []].append(filter)
            }
        }
        for (decodedRule, decodedDiagnostics) in decodedRules {
            let rule = tuned(decodedRule)
            // Compile even a rule with errors, so one run reports all of its problems.
            let compiled = RuleCompiler.compile(
                rule, calendars: result.calendars, filters: filtersByRule[rule.id] ?? [],
                zones: { try? zones.zone($0).get() })
            let diagnostics = decodedDiagnostics + zones.withZoneHints(compiled.diagnostics)
            result.diagnostics += diagnostics.filter { diagnostic in
                !invalidCalendars.contains { diagnostic.message.hasPrefix("unknown calendar '\($0)'") }
            }
            guard let compiledRule = compiled.rule, !diagnostics.hasErrors else { continue }
            if let source = rule.logSource, !source.isOpenAIAuditLog {
                result.diagnostics.append(
                    .note(
                        "rule is for logsource product '\(source.product ?? "?")' service '\(source.service ?? "?")', not the OpenAI audit log; loaded but not run",
                        at: rule.location, ruleID: rule.id))
                result.skipped.append(rule)
                continue
            }
            result.rules.append(compiledRule)
        }
        let correlationNodes = documents.filter { if case .correlation = $0.kind { true } else { false } }.map(\.node)
        loadCorrelations(
            correlationNodes, into: &result, ruleDefinitions: firstDefinition,
            ruleNames: Set(decodedRules.flatMap { [$0.rule.id] + ($0.rule.name.map { [$0] } ?? []) }))
        // Every rule the config names must exist: a typo would silently keep a rule running.
        var known = Set(decodedRules.flatMap { [$0.rule.id] + ($0.rule.name.map { [$0] } ?? []) })
        known.formUnion(result.correlations.flatMap { [$0.rule.id] + ($0.rule.name.map { [$0] } ?? []) })
        for reference in tuning.disabledRules + tuning.ruleLevels.map(\.rule) where !known.contains(reference.value) {
            let hint = Suggestions.didYouMean(reference.value, in: known.sorted())
            result.diagnostics.append(
                .error("the config names unknown rule '\(reference.value)'\(hint)", at: reference.location))
        }
    }

    /// The rule as the tuning wants it: disabled, or at another level.
    private func tuned(_ rule: Rule) -> Rule {
        var result = rule
        let references = [rule.id] + (rule.name.map { [$0] } ?? [])
        if tuning.disabledRules.contains(where: { references.contains($0.value) }) { result.enabled = false }
        if let override = tuning.ruleLevels.last(where: { references.contains($0.rule.value) }) {
            result.level = override.level
        }
        return result
    }

    private func tuned(_ correlation: CorrelationRule) -> CorrelationRule {
        var result = correlation
        let references = [correlation.id] + (correlation.name.map { [$0] } ?? [])
        if tuning.disabledRules.contains(where: { references.contains($0.value) }) { result.enabled = false }
        if let override = tuning.ruleLevels.last(where: { references.contains($0.rule.value) }) {
            result.level = override.level
            result.hasLevel = true
        }
        return result
    }

    /// A calendar document with the keys the tuning sets for it replaced.
    private func tuned(calendar node: DocumentNode) -> DocumentNode {
        guard let body = node["calendar"], let name = body["name"]?.scalar?.text, let settings = tuning.calendars[name],
            let replacements = settings.node.mapping, var entries = body.mapping
        else { return node }
        for replacement in replacements {
            guard let key = replacement.key.scalar?.text else { continue }
            if let index = entries.firstIndex(where: { $0.key.scalar?.text == key }) {
                entries[index] = replacement
            } else {
                entries.append(replacement)
            }
        }
        let tunedBody = DocumentNode(.mapping(entries), at: body.location)
        let top = (node.mapping ?? []).map { entry in
            entry.key.scalar?.text == "calendar" ? DocumentNode.MappingEntry(key: entry.key, value: tunedBody) : entry
        }
        return DocumentNode(.mapping(top), at: node.location)
    }

    /// Correlations come last: they refer to base rules by id or name.
    /// `ruleNames`: the ids and names of every rule that decoded, compiled or not, so a broken rule is
    /// not also "unknown" to the correlations naming it.
    private func loadCorrelations(
        _ nodes: [DocumentNode], into result: inout Loaded,
        ruleDefinitions: [String: SourceLocation], ruleNames: Set<String>
    ) {
        var decoded: [CorrelationRule] = []
        var places = ruleDefinitions
        let correlationNames = Set(
            nodes.flatMap { node in [node["id"], node["name"]].compactMap { $0?.scalar?.text } })
        let foreignRules = Set(result.skipped.flatMap { [$0.id] + [$0.name].compactMap { $0 } })
        for node in nodes {
            let outcome = CorrelationDecoder.decode(node)
            result.diagnostics += outcome.diagnostics
            result.diagnostics += CorrelationLint.groupByWarnings(node, elsewhere: correlationNames.union(foreignRules))
            guard let correlation = outcome.correlation.map(tuned) else {
                // Every mistake in one pass: the references of a correlation that did not decode.
                result.diagnostics += CorrelationLint.unknownReferences(node, known: ruleNames.union(correlationNames))
                continue
            }
            if let first = places[correlation.id] {
                result.diagnostics.append(
                    .error(
                        "duplicate rule id '\(correlation.id)'; it is also defined at \(first)",
                        at: correlation.location, ruleID: correlation.id))
                continue
            }
            places[correlation.id] = correlation.location
            decoded.append(correlation)
        }
        var byReference: [String: CorrelationRule] = [:]
        for correlation in decoded {
            byReference[correlation.id] = correlation
            if let name = correlation.name { byReference[name] = correlation }
        }
        // Chains run lower correlations first; a cycle is an error.
        var ordered: [CorrelationRule] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ correlation: CorrelationRule) {
            if state[correlation.id] == 2 { return }
            if state[correlation.id] == 1 {
                result.diagnostics.append(
                    .error(
                        "correlation '\(correlation.id)' is part of a cycle of correlations", at: correlation.location,
                        ruleID: correlation.id))
                return
            }
            state[correlation.id] = 1
            for reference in correlation.rules { if let lower = byReference[reference.value] { visit(lower) } }
            state[correlation.id] = 2
            ordered.append(correlation)
        }
        for correlation in decoded { visit(correlation) }
        for correlation in ordered {
            let others = byReference.filter { $0.value.id != correlation.id }
            let compiled = CompiledCorrelation.compile(
                correlation, baseRules: result.rules, correlations: others, zones: { try? zones.zone($0).get() })
            // A rule or correlation with errors of its own is not also unknown to the correlation naming it.
            let own = [correlation.id] + [correlation.name].compactMap { $0 }
            let excused = ruleNames.union(correlationNames).subtracting(own)
            result.diagnostics += zones.withZoneHints(compiled.diagnostics).filter { diagnostic in
                !excused.contains { diagnostic.message.hasPrefix("correlation names unknown rule '\($0)'") }
            }
            if let ready = compiled.correlation { result.correlations.append(ready) }
        }
    }
}
