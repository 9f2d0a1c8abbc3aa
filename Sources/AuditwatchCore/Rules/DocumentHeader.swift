/// The metadata rules, correlations and filters share (title, identity, level, status, dates,
/// tags, …) and auditwatch's extensions that rules and correlations share (summary, notify,
/// enabled, suppress), decoded and checked in one place.
public struct DocumentHeader: Sendable {
    /// Which document the header opens: it decides the names in messages and the keys required.
    public enum Kind: Sendable {
        case rule, correlation, filter

        /// How messages name the document.
        var what: String {
            switch self {
            case .rule: "a rule"
            case .correlation: "a correlation rule"
            case .filter: "a filter"
            }
        }
    }

    public var title: String?
    public var id: String?
    public var name: String?
    /// The level written, when it is a valid one.
    public var level: RuleLevel?
    /// Whether the document has a `level` key at all.
    public var hasLevel = false
    public var status: String?
    public var description: String?
    public var author: String?
    public var date: String?
    public var modified: String?
    public var references: [String] = []
    public var tags: [String] = []
    public var falsePositives: [String] = []
    public var summary: String?
    /// Where the `summary:` key is: template errors point at it.
    public var summaryLocation: SourceLocation?
    public var notify: [String]?
    /// Where the `notify:` key is: unknown notifiers point at it.
    public var notifyLocation: SourceLocation?
    public var enabled = true
    public var suppress: Int64?

    static let statuses: Set<String> = ["stable", "test", "experimental", "deprecated", "unsupported"]

    /// The id diagnostics carry before the document is decoded: `id`, else `name`.
    static func ruleID(of node: DocumentNode, _ kind: Kind) -> String? {
        kind == .filter ? node["id"]?.scalar?.text : node["id"]?.scalar?.text ?? node["name"]?.scalar?.text
    }

    static func isSigmaTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: ".", maxSplits: 1)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && tag.allSatisfy { allowed.contains($0) }
    }

    /// Reads the header keys of the document `reader` reads, adding its problems to the reader's.
    static func decode(_ reader: inout MappingReader, _ kind: Kind) -> DocumentHeader {
        let node = reader.node
        let ruleID = reader.ruleID
        var header = DocumentHeader()
        if kind == .filter {
            for forbidden in ["level", "status"] where node[forbidden] != nil {
                reader.diagnostics.append(
                    .error(
                        "a filter has no '\(forbidden)'; it changes the rules it names", at: node.location,
                        ruleID: ruleID))
            }
        }
        header.title = reader.string("title", required: true, what: kind.what)
        header.id = reader.string("id")
        if kind != .filter {
            header.name = reader.string("name")
            if header.id == nil && header.name == nil {
                let noun = kind == .rule ? "a rule" : "a correlation"
                reader.diagnostics.append(
                    .error(
                        "\(noun) needs an 'id' (or a 'name') so its alerts have a stable identity", at: node.location))
            }
            header.decodeLevel(&reader, kind)
        }
        header.status = reader.string("status")
        if let status = header.status, !statuses.contains(status) {
            reader.diagnostics.append(
                .error(
                    "unknown status '\(status)'; use one of \(statuses.sorted().joined(separator: ", "))",
                    at: reader["status"]!.location, ruleID: ruleID))
        }
        for key in ["date", "modified"] {
            guard let text = reader.string(key) else { continue }
            if UTCTime.parse(String(text.map { $0 == "/" ? "-" : $0 })) == nil || text.count != 10 {
                // Sigma 1 rules wrote dates as 2026/11/26: accepted.
                reader.diagnostics.append(
                    .error(
                        "'\(key)' must be a date like 2026-11-26, found '\(text)'", at: reader[key]!.location,
                        ruleID: ruleID))
            }
            if key == "date" { header.date = text } else { header.modified = text }
        }
        header.tags = reader.strings("tags")
        if let tagsNode = reader["tags"] {
            for (index, tag) in header.tags.enumerated() where !isSigmaTag(tag) {
                let location = tagsNode.sequence.map { $0[min(index, $0.count - 1)].location } ?? tagsNode.location
                reader.diagnostics.append(
                    .warning(
                        "tag '\(tag)' is not in Sigma's 'namespace.name' form (lowercase, like attack.t1078)",
                        at: location, ruleID: ruleID))
            }
        }
        header.description = reader.string("description")
        header.author = reader.string("author")
        header.references = reader.strings("references")
        header.falsePositives = reader.strings("falsepositives")
        guard kind != .filter else { return header }
        header.decodeExtensions(&reader)
        return header
    }

    private mutating func decodeLevel(_ reader: inout MappingReader, _ kind: Kind) {
        hasLevel = reader["level"] != nil
        let names = RuleLevel.allCases.map(\.rawValue)
        if let text = reader.string("level") {
            if let parsed = RuleLevel(rawValue: text) {
                level = parsed
            } else {
                reader.diagnostics.append(
                    .error(
                        "unknown level '\(text)'; use one of \(names.joined(separator: ", "))"
                            + Suggestions.didYouMean(text, in: names),
                        at: reader["level"]!.location, ruleID: reader.ruleID))
            }
        } else if !hasLevel && kind == .rule {
            // A correlation without a level is usually a link of a chain, which does not alert.
            reader.diagnostics.append(
                .warning("no 'level'; the rule's alerts are 'medium'", at: reader.node.location, ruleID: reader.ruleID))
        }
    }

    /// auditwatch's keys on rules and correlations.
    private mutating func decodeExtensions(_ reader: inout MappingReader) {
        summary = reader.string("summary")
        summaryLocation = reader.keyLocation("summary")
        enabled = reader.bool("enabled") ?? true
        if let text = reader.string("suppress") {
            let parsed = TimeSpan.parse(text)
            if let error = parsed.error {
                reader.diagnostics.append(.error(error, at: reader["suppress"]!.location, ruleID: reader.ruleID))
            }
            suppress = parsed.seconds
        }
        if reader["notify"] != nil {
            notify = reader.strings("notify")
            notifyLocation = reader.keyLocation("notify")
        }
    }
}
