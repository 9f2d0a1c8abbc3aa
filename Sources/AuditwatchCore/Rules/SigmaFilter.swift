/// A Sigma filter document: an exclusion applied to named rules without editing them.
///
/// As pySigma does, a filter's condition is ANDed onto each listed rule's condition, so an
/// exclusion is written `condition: not <selection>`.
public struct SigmaFilter: Sendable {
    public var title: String
    public var id: String?
    /// Rule ids or names; nil means every rule of the log source (`rules: any`).
    public var rules: [Located<String>]?
    public var logSource: LogSource
    public var detection: Detection
    public var location: SourceLocation
}

/// Decodes `filter` documents.
public enum FilterDecoder {
    static let keys: Set<String> = [
        "title", "id", "name", "description", "author", "date", "modified", "logsource", "filter", "references", "tags",
    ]

    public static func decode(_ node: DocumentNode) -> (filter: SigmaFilter?, diagnostics: [Diagnostic]) {
        let id = node["id"]?.scalar?.text
        var reader = MappingReader(node, what: "a filter", known: keys, ruleID: id)
        let header = DocumentHeader.decode(&reader, .filter)
        var logSource: LogSource?
        if let sourceNode = reader["logsource"] {
            logSource = LogSource.decode(sourceNode, ruleID: id, diagnostics: &reader.diagnostics)
        } else {
            reader.diagnostics.append(
                .error("missing required key 'logsource' in a filter", at: node.location, ruleID: id))
        }
        guard let body = reader["filter"], let entries = body.mapping else {
            reader.diagnostics.append(
                .error(
                    "a filter needs a 'filter' mapping with 'rules', selections and 'condition'",
                    at: reader["filter"]?.location ?? node.location, ruleID: id))
            return (nil, reader.diagnostics)
        }
        var rules: [Located<String>]?
        if let rulesNode = body["rules"] {
            if rulesNode.scalar?.text == "any" {
                rules = nil
            } else if let items = rulesNode.sequence, !items.isEmpty {
                rules = items.compactMap { item in item.scalar.map { Located($0.text, at: item.location) } }
            } else if let single = rulesNode.scalar {
                rules = [Located(single.text, at: rulesNode.location)]
            } else {
                reader.diagnostics.append(
                    .error("'rules' must list rule ids or names, or be 'any'", at: rulesNode.location, ruleID: id))
            }
        } else {
            reader.diagnostics.append(
                .error(
                    "missing 'rules' in 'filter': name the rules it applies to, or 'any'", at: body.location, ruleID: id
                ))
        }
        let detectionNode = DocumentNode(.mapping(entries.filter { $0.key.scalar?.text != "rules" }), at: body.location)
        let decoded = DetectionDecoder.decode(detectionNode, ruleID: id)
        reader.diagnostics += decoded.diagnostics
        if let condition = decoded.detection?.conditions.first, !condition.value.split(separator: " ").contains("not") {
            reader.diagnostics.append(
                .warning(
                    "this filter's condition has no 'not': it keeps only the events it selects instead of excluding them",
                    at: condition.location, ruleID: id))
        }
        guard let title = header.title, let logSource, let detection = decoded.detection, !reader.diagnostics.hasErrors
        else {
            return (nil, reader.diagnostics)
        }
        return (
            SigmaFilter(
                title: title, id: id, rules: rules, logSource: logSource, detection: detection, location: node.location),
            reader.diagnostics
        )
    }
}
