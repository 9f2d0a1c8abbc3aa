/// Links parsed rule documents into a rule set: document kinds, calendars and filters first (rules
/// refer to them wherever they are defined), placeholders, duplicate ids, the tuning, then
/// correlations in chain order. Pure: the documents come parsed and located, time zones from a
/// `ZoneLookup`. Every problem is collected; callers refuse to run when any is an error.
public struct RuleSetAssembler: Sendable {
    let zones: any ZoneLookup
    /// Calendars that replace those of the same name in the files (a test's pinned calendars).
    public var calendarOverrides: [String: WorkingCalendar] = [:]
    /// The organization's tuning (auditwatch.yml, `--placeholders`): placeholder values, calendar
    /// settings, disabled rules and level overrides, applied to every rule loaded.
    public var tuning = RuleTuning()

    public init(zones: any ZoneLookup = FixedZones()) {
        self.zones = zones
    }

    /// Assembles `documents` (each located in its file), in order.
    public func assemble(_ documents: [DocumentNode]) -> AssembledRules {
        var result = AssembledRules()
        assemble(documents, into: &result)
        return result
    }

    /// Assembles `documents` into `result`, after what it already holds (the reader's diagnostics).
    public func assemble(_ nodes: [DocumentNode], into result: inout AssembledRules) {
        let documents = nodes.map { (kind: DocumentKind.of($0), node: $0) }
        for document in nodes {
            guard let list = document["tests"] else { continue }
            let owner =
                document["detection"] != nil || document["correlation"] != nil
                ? (document["id"] ?? document["name"])?.scalar?.text : nil
            result.tests.append((list, document.location.file, owner))
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

    func tuned(_ correlation: CorrelationRule) -> CorrelationRule {
        var result = correlation
        let references = [correlation.id] + (correlation.name.map { [$0] } ?? [])
        if tuning.disabledRules.contains(where: { references.contains($0.value) }) { result.enabled = false }
        if let override = tuning.ruleLevels.last(where: { references.contains($0.rule.value) }) {
            result.level = override.level
            result.hasLevel = true
        }
        return result
    }

    /// A calendar document with the keys the tuning sets for it replaced (an organization's
    /// `time_zone` is its `location` unless the calendar's settings give one).
    private func tuned(calendar node: DocumentNode) -> DocumentNode {
        guard let body = node["calendar"], let name = body["name"]?.scalar?.text, var entries = body.mapping else {
            return node
        }
        var replacements = tuning.calendars[name]?.node.mapping ?? []
        if let zone = tuning.timeZone, !replacements.contains(where: { $0.key.scalar?.text == "location" }) {
            replacements.insert(
                DocumentNode.MappingEntry(
                    key: DocumentNode(.scalar(.init("location")), at: zone.location),
                    value: DocumentNode(.scalar(.init(zone.value)), at: zone.location)), at: 0)
        }
        guard !replacements.isEmpty else { return node }
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
}
