/// Turns a YAML document into a `Rule`, collecting every problem rather than stopping at the first.
public enum RuleDecoder {
    /// Sigma's rule keys.
    static let sigmaKeys: Set<String> = [
        "title", "id", "name", "related", "taxonomy", "status", "description", "license", "author",
        "references", "date", "modified", "logsource", "detection", "fields", "falsepositives",
        "level", "tags", "scope",
    ]
    /// auditwatch's extensions to a rule.
    static let extensionKeys: Set<String> = ["summary", "enabled"]
    static let statuses: Set<String> = ["stable", "test", "experimental", "deprecated", "unsupported"]

    /// Decodes a rule document. The rule comes back even when there are errors, as long as its
    /// shape allows, so the compiler can report its problems too: callers must not run a rule
    /// whose diagnostics contain an error.
    public static func decode(_ node: DocumentNode) -> (rule: Rule?, diagnostics: [Diagnostic]) {
        let ruleID = node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
        var reader = MappingReader(node, what: "a rule", known: sigmaKeys.union(extensionKeys), ruleID: ruleID)
        guard node.mapping != nil else { return (nil, reader.diagnostics) }

        let title = reader.string("title", required: true, what: "a rule")
        let id = reader.string("id")
        let name = reader.string("name")
        if id == nil && name == nil {
            reader.diagnostics.append(.error("a rule needs an 'id' (or a 'name') so its alerts have a stable identity", at: node.location, ruleID: nil))
        }
        var level = RuleLevel.medium
        if let text = reader.string("level") {
            if let parsed = RuleLevel(rawValue: text) {
                level = parsed
            } else {
                reader.diagnostics.append(.error("unknown level '\(text)'; use one of \(RuleLevel.allCases.map(\.rawValue).joined(separator: ", "))\(Suggestions.didYouMean(text, in: RuleLevel.allCases.map(\.rawValue)))", at: reader["level"]!.location, ruleID: ruleID))
            }
        } else if reader["level"] == nil {
            reader.diagnostics.append(.warning("no 'level'; the rule's alerts are 'medium'", at: node.location, ruleID: ruleID))
        }
        if let status = reader.string("status"), !statuses.contains(status) {
            reader.diagnostics.append(.error("unknown status '\(status)'; use one of \(statuses.sorted().joined(separator: ", "))", at: reader["status"]!.location, ruleID: ruleID))
        }
        var logSource: LogSource?
        if let sourceNode = reader["logsource"] {
            var sourceReader = MappingReader(sourceNode, what: "'logsource'", known: ["product", "service", "category", "definition"], ruleID: ruleID)
            logSource = LogSource(product: sourceReader.string("product"), service: sourceReader.string("service"), category: sourceReader.string("category"))
            reader.diagnostics += sourceReader.diagnostics
        }
        var detection: Detection?
        if let detectionNode = reader["detection"] {
            let decoded = DetectionDecoder.decode(detectionNode, ruleID: ruleID)
            detection = decoded.detection
            reader.diagnostics += decoded.diagnostics
        } else {
            reader.diagnostics.append(.error("missing required key 'detection' in a rule", at: node.location, ruleID: ruleID))
        }

        guard let detection else { return (nil, reader.diagnostics) }
        var rule = Rule(id: id ?? name ?? "<no id>", title: title ?? "<no title>", level: level, detection: detection, location: node.location)
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
        return (rule, reader.diagnostics)
    }
}
