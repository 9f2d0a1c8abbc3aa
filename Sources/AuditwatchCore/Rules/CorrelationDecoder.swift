/// Decodes correlation documents, collecting every problem.
public enum CorrelationDecoder {
    static let keys: Set<String> = [
        "title", "id", "name", "status", "description", "author", "date", "modified", "references",
        "tags", "level", "falsepositives", "correlation", "generate", "summary", "suppress", "enabled", "taxonomy",
        "license", "tests", "notify",
    ]
    static let bodyKeys: Set<String> = [
        "type", "rules", "group-by", "timespan", "condition", "aliases", "generate", "field", "learning",
    ]
    static let unsupportedKinds = ["value_sum", "value_avg", "value_percentile"]

    public static func decode(_ node: DocumentNode) -> (correlation: CorrelationRule?, diagnostics: [Diagnostic]) {
        let ruleID = node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
        var reader = MappingReader(node, what: "a correlation rule", known: keys, ruleID: ruleID)
        let header = DocumentHeader.decode(&reader, .correlation)
        guard let bodyNode = reader["correlation"] else { return (nil, reader.diagnostics) }
        var body = MappingReader(bodyNode, what: "'correlation'", known: bodyKeys, ruleID: ruleID)
        var kind: CorrelationRule.Kind?
        if let text = body.string("type", required: true, what: "'correlation'") {
            if let parsed = CorrelationRule.Kind(rawValue: text) {
                kind = parsed
            } else if unsupportedKinds.contains(text) {
                body.diagnostics.append(
                    .error(
                        "Sigma v2.1 '\(text)' is not evaluated by auditwatch: the audit log has no numeric series to aggregate",
                        at: body["type"]!.location, ruleID: ruleID))
            } else {
                body.diagnostics.append(
                    .error(
                        "unknown correlation type '\(text)'\(Suggestions.didYouMean(text, in: CorrelationRule.Kind.allCases.map(\.rawValue)))",
                        at: body["type"]!.location, ruleID: ruleID))
            }
        }
        var rules: [Located<String>] = []
        if let rulesNode = body["rules"] {
            for item in rulesNode.sequence ?? [rulesNode] {
                if let text = item.scalar?.text { rules.append(Located(text, at: item.location)) }
            }
            if rules.isEmpty {
                body.diagnostics.append(
                    .error("'rules' must name at least one rule", at: rulesNode.location, ruleID: ruleID))
            }
        } else {
            body.diagnostics.append(
                .error("missing required key 'rules' in 'correlation'", at: bodyNode.location, ruleID: ruleID))
        }
        let groupBy = body.strings("group-by")
        var timespan: Int64 = 0
        if let text = body.string("timespan", required: true, what: "'correlation'") {
            let parsed = TimeSpan.parse(text)
            if let error = parsed.error {
                body.diagnostics.append(.error(error, at: body["timespan"]!.location, ruleID: ruleID))
            }
            if let warning = parsed.warning {
                body.diagnostics.append(.warning(warning, at: body["timespan"]!.location, ruleID: ruleID))
            }
            timespan = parsed.seconds ?? 0
        }
        var condition: CountCondition?
        var fields: [String] = []
        if let conditionNode = body["condition"] {
            let decoded = decodeCondition(conditionNode, kind: kind, ruleID: ruleID)
            body.diagnostics += decoded.diagnostics
            condition = decoded.condition
            if let conditionFields = decoded.fields { fields = conditionFields }
        }
        if body["field"] != nil { fields = body.strings("field") }
        var aliases: [String: [String: String]] = [:]
        if let aliasNode = body["aliases"] {
            let aliasReader = MappingReader(aliasNode, what: "'aliases'", known: nil, ruleID: ruleID)
            body.diagnostics += aliasReader.diagnostics
            for alias in aliasReader.orderedKeys {
                var mapping = MappingReader(aliasReader[alias]!, what: "alias '\(alias)'", known: nil, ruleID: ruleID)
                var map: [String: String] = [:]
                for rule in mapping.orderedKeys { map[rule] = mapping.string(rule) }
                body.diagnostics += mapping.diagnostics
                aliases[alias] = map
            }
        }
        var learning: Int64 = 0
        if let text = body.string("learning") {
            let parsed = TimeSpan.parse(text)
            if let error = parsed.error {
                body.diagnostics.append(.error(error, at: body["learning"]!.location, ruleID: ruleID))
            }
            learning = parsed.seconds ?? 0
        }
        // Sigma's schema puts `generate` at the top; pySigma reads it inside `correlation`.
        let topGenerate = reader.bool("generate"), innerGenerate = body.bool("generate")
        if let topGenerate, let innerGenerate, topGenerate != innerGenerate {
            body.diagnostics.append(
                .error("'generate' is set twice with different values", at: body["generate"]!.location, ruleID: ruleID))
        }
        if let kind {
            switch kind {
            case .eventCount:
                if condition == nil {
                    body.diagnostics.append(
                        .error(
                            "event_count needs a 'condition' such as {gte: 5}", at: bodyNode.location, ruleID: ruleID))
                }
            case .valueCount:
                if condition == nil || fields.isEmpty {
                    body.diagnostics.append(
                        .error(
                            "value_count needs a 'condition' with a 'field' and a count, such as {field: actor.email, gte: 20}",
                            at: bodyNode.location, ruleID: ruleID))
                }
            case .temporal, .temporalOrdered:
                if rules.count < 2 {
                    body.diagnostics.append(
                        .error("\(kind.rawValue) needs at least two rules", at: bodyNode.location, ruleID: ruleID))
                }
            case .newValue:
                if fields.isEmpty {
                    body.diagnostics.append(
                        .error(
                            "new_value needs 'condition: {field: …}': the field whose new values alert",
                            at: bodyNode.location, ruleID: ruleID))
                }
            }
        }
        reader.diagnostics += body.diagnostics
        guard let title = header.title, let kind, !reader.diagnostics.hasErrors else {
            return (nil, reader.diagnostics)
        }
        var correlation = CorrelationRule(
            id: header.id ?? header.name!, name: header.name, title: title, level: header.level ?? .medium,
            description: header.description, kind: kind, rules: rules, groupBy: groupBy, aliases: aliases,
            timespan: timespan, condition: condition, fields: fields, generate: topGenerate ?? innerGenerate ?? false,
            learning: learning, summary: header.summary, suppress: header.suppress, location: node.location)
        correlation.tags = header.tags
        correlation.references = header.references
        correlation.falsePositives = header.falsePositives
        correlation.hasLevel = header.hasLevel
        correlation.summaryLocation = header.summaryLocation
        correlation.notify = header.notify
        correlation.notifyLocation = header.notifyLocation
        correlation.enabled = header.enabled
        return (correlation, reader.diagnostics)
    }
    /// `condition: {gte: 5}`, a range of two bounds, and `field` (value_count, new_value).
    private static func decodeCondition(
        _ node: DocumentNode, kind: CorrelationRule.Kind?, ruleID: String?
    ) -> (condition: CountCondition?, fields: [String]?, diagnostics: [Diagnostic]) {
        let limit = Int64(EngineOptions.defaultMaxEntriesPerGroup)
        var reader = MappingReader(
            node, what: "'condition'", known: Set(CountComparison.allCases.map(\.rawValue) + ["field"]), ruleID: ruleID)
        var bounds: [CountCondition.Bound] = []
        for key in reader.orderedKeys {
            guard let comparison = CountComparison(rawValue: key) else { continue }
            guard case .int(let value)? = reader[key]?.scalar?.resolved, value >= 0 else {
                reader.diagnostics.append(
                    .error("'\(key)' needs a whole number", at: reader[key]!.location, ruleID: ruleID))
                continue
            }
            bounds.append(.init(comparison: comparison, value: value))
            // A group keeps at most `maxEntriesPerGroup` matches, so a count beyond it could
            // never be told apart: refuse the rule rather than let it stay silent.
            let counted = kind == .eventCount || kind == .valueCount
            if counted, comparison.matchesNeeded(value) > limit {
                let most = comparison.matchesNeeded(limit) == limit ? limit : limit - 1
                reader.diagnostics.append(
                    .error(
                        "'\(key): \(value)' needs more than \(limit) matches per group within the timespan, "
                            + "the most auditwatch keeps (see Limits in the README); use a bound of at most \(most)",
                        at: reader[key]!.location, ruleID: ruleID))
            }
        }
        let fields = reader["field"] != nil ? reader.strings("field") : nil
        if bounds.count > 2 {
            reader.diagnostics.append(
                .error("a condition has one comparison, or two for a range", at: node.location, ruleID: ruleID))
        }
        return (bounds.isEmpty ? nil : CountCondition(bounds: bounds), fields, reader.diagnostics)
    }
}
