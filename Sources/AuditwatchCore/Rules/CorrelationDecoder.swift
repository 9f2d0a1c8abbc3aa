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
        let title = reader.string("title", required: true, what: "a correlation rule")
        let id = reader.string("id"), name = reader.string("name")
        if id == nil && name == nil {
            reader.diagnostics.append(
                .error(
                    "a correlation needs an 'id' (or a 'name') so its alerts have a stable identity", at: node.location)
            )
        }
        var level = RuleLevel.medium
        if let text = reader.string("level") {
            if let parsed = RuleLevel(rawValue: text) {
                level = parsed
            } else {
                reader.diagnostics.append(
                    .error(
                        "unknown level '\(text)'\(Suggestions.didYouMean(text, in: RuleLevel.allCases.map(\.rawValue)))",
                        at: reader["level"]!.location, ruleID: ruleID))
            }
        }
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
            let parsed = Duration.parse(text)
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
            var conditionReader = MappingReader(
                conditionNode, what: "'condition'", known: ["gt", "gte", "lt", "lte", "eq", "neq", "field"],
                ruleID: ruleID)
            var bounds: [CountCondition.Bound] = []
            for key in conditionReader.orderedKeys where key != "field" {
                guard case .int(let value)? = conditionReader[key]?.scalar?.resolved, value >= 0 else {
                    conditionReader.diagnostics.append(
                        .error("'\(key)' needs a whole number", at: conditionReader[key]!.location, ruleID: ruleID))
                    continue
                }
                bounds.append(.init(op: key, value: value))
                // A group keeps at most `maxEntriesPerGroup` matches, so a count beyond it could
                // never be told apart: refuse the rule rather than let it stay silent.
                let counted = kind == .eventCount || kind == .valueCount
                let needed = key == "gte" || key == "lt" ? value : value + 1
                if counted, needed > Int64(EngineOptions.defaultMaxEntriesPerGroup) {
                    conditionReader.diagnostics.append(
                        .error(
                            "'\(key): \(value)' needs more than \(EngineOptions.defaultMaxEntriesPerGroup) matches per group within the timespan, "
                                + "the most auditwatch keeps (see Limits in the README); use a bound of at most "
                                + "\(key == "gte" || key == "lt" ? EngineOptions.defaultMaxEntriesPerGroup : EngineOptions.defaultMaxEntriesPerGroup - 1)",
                            at: conditionReader[key]!.location, ruleID: ruleID))
                }
            }
            if conditionReader["field"] != nil { fields = conditionReader.strings("field") }
            body.diagnostics += conditionReader.diagnostics
            if !bounds.isEmpty { condition = CountCondition(bounds: bounds) }
            if bounds.count > 2 {
                body.diagnostics.append(
                    .error(
                        "a condition has one comparison, or two for a range", at: conditionNode.location, ruleID: ruleID
                    ))
            }
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
            let parsed = Duration.parse(text)
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
        var suppress: Int64?
        if let text = reader.string("suppress") {
            let parsed = Duration.parse(text)
            if let error = parsed.error {
                reader.diagnostics.append(.error(error, at: reader["suppress"]!.location, ruleID: ruleID))
            }
            suppress = parsed.seconds
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
        guard let title, let kind, !reader.diagnostics.hasErrors else { return (nil, reader.diagnostics) }
        var correlation = CorrelationRule(
            id: id ?? name!, name: name, title: title, level: level, description: reader.string("description"),
            kind: kind,
            rules: rules, groupBy: groupBy, aliases: aliases, timespan: timespan, condition: condition, fields: fields,
            generate: topGenerate ?? innerGenerate ?? false, learning: learning, summary: reader.string("summary"),
            suppress: suppress, location: node.location)
        correlation.tags = reader.strings("tags")
        correlation.references = reader.strings("references")
        correlation.falsePositives = reader.strings("falsepositives")
        correlation.hasLevel = reader["level"] != nil
        if reader["notify"] != nil { correlation.notify = reader.strings("notify") }
        correlation.enabled = reader.bool("enabled") ?? true
        return (correlation, reader.diagnostics)
    }
}
