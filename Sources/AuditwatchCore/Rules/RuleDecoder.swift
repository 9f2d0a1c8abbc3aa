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
    static let ruleKeys = sigmaKeys.union(extensionKeys)
    static let relationTypes: Set<String> = ["derived", "obsolete", "merged", "renamed", "similar"]

    /// Decodes a rule document. The rule comes back even when there are errors, as long as its
    /// shape allows, so the compiler can report its problems too: callers must not run a rule
    /// whose diagnostics contain an error.
    public static func decode(_ node: DocumentNode) -> (rule: Rule?, diagnostics: [Diagnostic]) {
        let ruleID = node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
        var reader = MappingReader(
            node, what: "a rule", known: ruleKeys, ruleID: ruleID, customKeys: true)
        guard node.mapping != nil else { return (nil, reader.diagnostics) }

        let header = DocumentHeader.decode(&reader, .rule)
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
            logSource = LogSource.decode(sourceNode, ruleID: ruleID, diagnostics: &reader.diagnostics)
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
            id: header.id ?? header.name ?? "<no id>", title: header.title ?? "<no title>",
            level: header.level ?? .medium, detection: detection, location: node.location)
        rule.name = header.name
        rule.status = header.status
        rule.description = header.description
        rule.author = header.author
        rule.date = header.date
        rule.modified = header.modified
        rule.references = header.references
        rule.tags = header.tags
        rule.falsePositives = header.falsePositives
        rule.fields = reader.strings("fields")
        rule.logSource = logSource
        rule.summary = header.summary
        rule.summaryLocation = header.summaryLocation
        rule.enabled = header.enabled
        rule.suppress = header.suppress
        rule.notify = header.notify
        rule.notifyLocation = header.notifyLocation
        rule.suppressBy = reader.strings("suppress_by")
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
