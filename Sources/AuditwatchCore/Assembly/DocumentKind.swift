/// What a YAML document in a rules tree is, from its top-level keys.
public enum DocumentKind: Sendable {
    case empty
    case rule
    case correlation
    case filter
    case calendar
    case tests
    /// `placeholders: {name: [values]}`: the defaults of `expand` placeholders (the pack's rules/placeholders.yml).
    case placeholders
    case unknown(String)

    public static func of(_ document: DocumentNode) -> DocumentKind {
        if case .null? = document.scalar?.resolved { return .empty }
        guard let entries = document.mapping else {
            return .unknown(
                "a rule file document must be a mapping (a rule, correlation, filter, calendar or tests), found \(document.kindDescription)"
            )
        }
        let keys = Set(entries.compactMap { $0.key.scalar?.text })
        if keys.contains("detection") { return .rule }
        if keys.contains("correlation") { return .correlation }
        if keys.contains("filter") { return .filter }
        if keys.contains("calendar") { return .calendar }
        if keys.contains("tests") { return .tests }
        if keys == ["placeholders"] { return .placeholders }
        if keys.contains("title") || keys.contains("id") {
            return .unknown("this document has no 'detection' (a rule), 'correlation', 'filter' or 'calendar' section")
        }
        return .unknown("this document is not a rule, correlation, filter, calendar or tests document")
    }
}
