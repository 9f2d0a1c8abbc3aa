/// What OpenAI's API documents about audit events: the event types and the fields each carries.
///
/// It is a safety net for rule authors, never a gate on input: a rule that tests `type` against
/// a name no documented type has (`login.faild`) or reads a path no documented type carries gets
/// a warning (an error under `--strict`); events of undocumented types are evaluated and counted.
public enum EventSchema {
    /// The documented event types.
    public static let types: Set<String> = Set(documentedTypes)

    /// Every documented path, as a rule may write it: common fields, `<type>.<field>` and
    /// `details.<field>`, with all their prefixes.
    static let paths: Set<String> = {
        var result = Set(commonFields)
        for (type, fields) in detailFields {
            result.insert(type)
            result.insert("details")
            for field in fields {
                result.insert(type + "." + field)
                result.insert("details." + field)
            }
        }
        for derived in DerivedField.names { result.insert(derived) }
        return result
    }()

    /// The documented event types in the API's own order.
    public static var documentedTypesInOrder: [String] { documentedTypes }

    /// Whether `type` is documented.
    public static func isDocumented(type: String) -> Bool { types.contains(type) }

    /// Whether some documented event carries `path`. Paths under a documented object whose
    /// members the schema does not list (such as `ip_address_details`) count as documented.
    public static func isDocumented(_ path: FieldPath) -> Bool {
        let text = path.segments.map(\.name).joined(separator: ".")
        if paths.contains(text) { return true }
        return text.hasPrefix("actor.session.ip_address_details.")
    }

    /// The closest documented path, for a "did you mean".
    public static func suggestion(for path: FieldPath) -> String {
        Suggestions.didYouMean(path.text, in: paths)
    }

    /// A "did you mean" for a type name.
    public static func typeSuggestion(for type: String) -> String {
        Suggestions.didYouMean(type, in: documentedTypes)
    }
}
