/// Turns a YAML document into a `Rule`, collecting every problem rather than stopping at the first.
public enum RuleDecoder {
    /// Sigma's rule keys.
    static let sigmaKeys: Set<String> = [
        "title", "id", "name", "related", "taxonomy", "status", "description", "license", "author",
        "references", "date", "modified", "logsource", "detection", "fields", "falsepositives",
        "level", "tags", "scope",
    ]
    /// auditwatch's extensions to a rule.
    static let extensionKeys: Set<String> = ["summary", "enabled", "suppress", "suppress_by", "tests", "notify"]
    static let statuses: Set<String> = ["stable", "test", "experimental", "deprecated", "unsupported"]
    static let relationTypes: Set<String> = ["derived", "obsolete", "merged", "renamed", "similar"]

    static func isSigmaTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: ".", maxSplits: 1)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && tag.allSatisfy { allowed.contains($0) }
    }

    /// Decodes a rule document. The rule comes back even when there are errors, as long as its
    /// shape allows, so the compiler can report its problems too: callers must not run a rule
    /// whose diagnostics contain an error.
    public static func decode(_ node: DocumentNode) -> (rule: Rule?, diagnostics: [Diagnostic]) {
        let ruleID = node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
        var reader = MappingReader(
            node, what: "a rule", known: sigmaKeys.union(extensionKeys), ruleID: ruleID, customKeys: true)
        guard node.mapping != nil else { return (nil, reader.diagnostics) }

        let title = reader.string("title", required: true, what: "a rule")
        let id = reader.string("id")
        let name = reader.string("name")
        if id == nil && name == nil {
            reader.diagnostics.append(
                .error(
                    "a rule needs an 'id' (or a 'name') so its alerts have a stable identity", at: node.location,
                    ruleID: nil))
        }
        var level = RuleLevel.medium
        if let text = reader.string("level") {
            if let parsed = RuleLevel(rawValue: text) {
                level = parsed
            } else {
                reader.diagnostics.append(
                    .error(
                        "unknown level '\(text)'; use one of \(RuleLevel.allCases.map(\.rawValue).joined(separator: ", "))\(Suggestions.didYouMean(text, in: RuleLevel.allCases.map(\.rawValue)))",
                        at: reader["level"]!.location, ruleID: ruleID))
            }
        } else if reader["level"] == nil {
            reader.diagnostics.append(
                .warning("no 'level'; the rule's alerts are 'medium'", at: node.location, ruleID: ruleID))
        }
        if let status = reader.string("status"), !statuses.contains(status) {
            reader.diagnostics.append(
                .error(
                    "unknown status '\(status)'; use one of \(statuses.sorted().joined(separator: ", "))",
                    at: reader["status"]!.location, ruleID: ruleID))
        }
        for key in ["date", "modified"] {
            if let text = reader.string(key), UTCTime.parse(text.replacingSlashes()) == nil || text.count != 10 {
                reader.diagnostics.append(
                    .error(
                        "'\(key)' must be a date like 2026-11-26, found '\(text)'", at: reader[key]!.location,
                        ruleID: ruleID))
            }
        }
        if let tagsNode = reader["tags"] {
            for (index, tag) in reader.strings("tags").enumerated() where !isSigmaTag(tag) {
                let location = tagsNode.sequence.map { $0[min(index, $0.count - 1)].location } ?? tagsNode.location
                reader.diagnostics.append(
                    .warning(
                        "tag '\(tag)' is not in Sigma's 'namespace.name' form (lowercase, like attack.t1078)",
                        at: location, ruleID: ruleID))
            }
        }
        if let related = reader["related"] {
            for item in related.sequence ?? [related] {
                var entry = MappingReader(item, what: "a 'related' entry", known: ["id", "type"], ruleID: ruleID)
                _ = entry.string("id", required: true, what: "a 'related' entry")
                if let type = entry.string("type", required: true, what: "a 'related' entry"),
                    !relationTypes.contains(type)
                {
                    entry.diagnostics.append(
                        .error(
                            "unknown relation '\(type)'; use one of \(relationTypes.sorted().joined(separator: ", "))",
                            at: item.location, ruleID: ruleID))
                }
                reader.diagnostics += entry.diagnostics
            }
        }
        var logSource: LogSource?
        if let sourceNode = reader["logsource"] {
            var sourceReader = MappingReader(
                sourceNode, what: "'logsource'", known: ["product", "service", "category", "definition"], ruleID: ruleID
            )
            logSource = LogSource(
                product: sourceReader.string("product"), service: sourceReader.string("service"),
                category: sourceReader.string("category"))
            reader.diagnostics += sourceReader.diagnostics
        } else {
            // Sigma requires it; auditwatch reads a rule without one as an audit-log rule.
            reader.diagnostics.append(
                .warning(
                    "no 'logsource'; Sigma requires one (for this log: logsource: {product: openai, service: audit_log}); the rule runs on the OpenAI audit log",
                    at: node.location, ruleID: ruleID))
        }
        var detection: Detection?
        if let detectionNode = reader["detection"] {
            let decoded = DetectionDecoder.decode(detectionNode, ruleID: ruleID)
            detection = decoded.detection
            reader.diagnostics += decoded.diagnostics
        } else {
            reader.diagnostics.append(
                .error("missing required key 'detection' in a rule", at: node.location, ruleID: ruleID))
        }

        guard let detection else { return (nil, reader.diagnostics) }
        var rule = Rule(
            id: id ?? name ?? "<no id>", title: title ?? "<no title>", level: level, detection: detection,
            location: node.location)
        rule.name = name
        rule.status = reader.string("status")
        rule.description = reader.string("description")
        rule.author = reader.string("author")
        rule.date = reader.string("date")
        rule.modified = reader.string("modified")
        rule.references = reader.strings("references")
        rule.tags = reader.strings("tags")
        rule.falsePositives = reader.strings("falsepositives")
        rule.fields = reader.strings("fields")
        rule.logSource = logSource
        rule.summary = reader.string("summary")
        rule.enabled = reader.bool("enabled") ?? true
        if let text = reader.string("suppress") {
            let parsed = Duration.parse(text)
            if let error = parsed.error {
                reader.diagnostics.append(.error(error, at: reader["suppress"]!.location, ruleID: rule.id))
            }
            rule.suppress = parsed.seconds
        }
        rule.suppressBy = reader.strings("suppress_by")
        if reader["notify"] != nil { rule.notify = reader.strings("notify") }
        if !rule.suppressBy.isEmpty && rule.suppress == nil {
            reader.diagnostics.append(
                .error(
                    "'suppress_by' needs 'suppress' (how long to fold repeats, like 30m)",
                    at: reader["suppress_by"]!.location, ruleID: rule.id))
        }
        for field in rule.suppressBy {
            do throws(FieldPathError) { _ = try FieldPath(field) } catch {
                reader.diagnostics.append(.error(error.message, at: reader["suppress_by"]!.location, ruleID: rule.id))
            }
        }
        return (rule, reader.diagnostics)
    }
}

private extension String {
    /// Sigma 1 rules wrote dates as 2026/11/26.
    func replacingSlashes() -> String { String(map { $0 == "/" ? "-" : $0 }) }
}
