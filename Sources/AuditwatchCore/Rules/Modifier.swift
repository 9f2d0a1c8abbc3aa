/// A Sigma value modifier (`field|contains|all`), read once when the rule is decoded: the
/// compiler only ever sees modifiers auditwatch evaluates.
public enum Modifier: String, Sendable, Hashable, CaseIterable {
    // Where the value sits in the text.
    case contains, startswith, endswith
    // How the values combine and compare.
    case all, cased, neq
    // Tests other than a value match.
    case exists, cidr, fieldref
    case lt, lte, gt, gte
    // Regular expressions and their flags.
    case re, i, m, s
    // Encodings of the value.
    case base64, base64offset, utf16le, utf16be, utf16, wide, windash
    // Times: auditwatch's calendars and Sigma v2.1's date parts.
    case calendar, minute, hour, day, week, month, year
    /// Placeholders, replaced by their values before compiling.
    case expand

    /// contains, startswith, endswith.
    public static let placements: Set<Modifier> = [.contains, .startswith, .endswith]
    /// The UTF-16 encoders that precede `base64`/`base64offset`.
    public static let encoders: Set<Modifier> = [.utf16le, .utf16be, .utf16, .wide]
    /// `re`'s flags.
    public static let regexFlags: Set<Modifier> = [.i, .m, .s]
    public static let base64Forms: Set<Modifier> = [.base64, .base64offset]
    /// Modifiers a keyword may take: those that shape text. A keyword has no field to compare,
    /// test for presence or reference, so the others are refused.
    public static let keywordModifiers: Set<Modifier> = placements.union(encoders).union(regexFlags).union([
        .all, .cased, .re, .base64, .base64offset, .windash,
    ])

    /// The numeric comparison this modifier is, if it is one.
    var comparison: ComparisonOperator? { ComparisonOperator(rawValue: rawValue) }
    /// The date part this modifier takes, if it is one.
    var datePart: DatePart? { DatePart(rawValue: rawValue) }

    /// Reads the modifiers of `key` (`field|mod|mod`, split after the field). Errors: an unknown
    /// modifier (with a suggestion), one written twice, and, on a keyword (`isKeyword`), one that
    /// needs a field. `keyName` is how the key is quoted in the messages.
    static func chain(_ names: [String], isKeyword: Bool, keyName: String) throws(ModifierError) -> [Modifier] {
        if isKeyword {
            let refused = Set(names).filter { Modifier(rawValue: $0).map { !keywordModifiers.contains($0) } ?? true }
            guard refused.isEmpty else {
                let list = refused.sorted().joined(separator: "', '")
                throw ModifierError(
                    message:
                        "'\(list)' cannot qualify a keyword (a value searched for in the whole event); name a field")
            }
        }
        var chain: [Modifier] = []
        for name in names {
            guard let modifier = Modifier(rawValue: name) else {
                let hint = Suggestions.didYouMean(name, in: allCases.map(\.rawValue).sorted())
                throw ModifierError(message: "unknown modifier '\(name)' in '\(keyName)'\(hint)")
            }
            if chain.contains(modifier) {
                throw ModifierError(message: "modifier '\(name)' appears twice in '\(keyName)'")
            }
            chain.append(modifier)
        }
        return chain
    }
}

/// Why a modifier chain was refused.
struct ModifierError: Error {
    var message: String
}
