/// Look-ups for `auditwatch schema`: the fields a type carries, the types that carry a field.
extension EventSchema {
    /// Fields every event may carry, whatever its type.
    public static var common: [String] { commonFields }

    /// The fields of `type`'s detail object as a rule writes them (`<type>.<field>`; `details.<field>`
    /// reads the same), or nil when the type is not documented.
    public static func detailPaths(of type: String) -> [String]? {
        guard types.contains(type) else { return nil }
        return (detailFields[type] ?? []).map { type + "." + $0 }
    }

    /// The documented types whose events carry `path` (every type, for a common field), in the
    /// API's order. `details.<field>` and `<type>.<field>` both name a detail field.
    public static func types(carrying path: String) -> [String] {
        if commonFields.contains(path) || DerivedField.names.contains(path) { return documentedTypes }
        return documentedTypes.filter { type in
            let fields = detailFields[type] ?? []
            if path.hasPrefix("details.") { return fields.contains(String(path.dropFirst("details.".count))) }
            if path == type { return true }
            return path.hasPrefix(type + ".") && fields.contains(String(path.dropFirst(type.count + 1)))
        }
    }

    /// The closest documented type, for a "did you mean".
    public static func closestType(to name: String) -> String { typeSuggestion(for: name) }
}
