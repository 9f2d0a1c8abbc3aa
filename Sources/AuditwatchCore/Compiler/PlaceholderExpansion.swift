/// Sigma's `expand` modifier: `%name%` in a value stands for every value of the placeholder
/// `name` (from the pack's `placeholders:` documents, `auditwatch.yml` or a placeholders file).
///
/// A value with several placeholders becomes every combination. `\%` is a literal percent sign.
/// A placeholder nobody defined is a warning and its value matches nothing; one defined as an
/// empty list matches nothing without a warning (a team that has, say, no CI accounts says so).
public enum PlaceholderExpansion {
    /// The most values one entry may expand to.
    public static let limit = 10_000

    /// The detection with the values of every `expand` entry replaced by their expansions and the
    /// `expand` modifier removed, so the compiler sees plain values.
    /// `used` names the placeholders the detection refers to, in order of first use.
    public static func apply(
        _ detection: Detection, placeholders: [String: [String]], ruleID: String?
    ) -> (detection: Detection, diagnostics: [Diagnostic], used: [String]) {
        var diagnostics: [Diagnostic] = []
        var used: [String] = []
        var result = detection
        for selection in result.selections.indices {
            for alternative in result.selections[selection].alternatives.indices {
                for index in result.selections[selection].alternatives[alternative].indices {
                    let test = result.selections[selection].alternatives[alternative][index]
                    guard test.modifiers.contains(.expand) else { continue }
                    result.selections[selection].alternatives[alternative][index] = expand(
                        test, placeholders: placeholders, ruleID: ruleID, diagnostics: &diagnostics, used: &used)
                }
            }
        }
        return (result, diagnostics, used)
    }

    private static func expand(
        _ test: FieldTest, placeholders: [String: [String]], ruleID: String?,
        diagnostics: inout [Diagnostic], used: inout [String]
    ) -> FieldTest {
        var expanded = test
        expanded.modifiers.removeAll { $0 == .expand }
        // The values become a list whatever their number, so `|all` stays valid with one value.
        expanded.isList = true
        var values: [Located<RuleValue>] = []
        for value in test.values {
            guard case .string(let text) = value.value else {
                values.append(value)
                continue
            }
            let outcome = expansions(of: text, placeholders: placeholders)
            for name in outcome.names where !used.contains(name) { used.append(name) }
            for name in outcome.missing {
                let message =
                    "placeholder '%\(name)%' has no values, so '\(text)' matches nothing; "
                    + "set it under 'placeholders:' in auditwatch.yml or in a placeholders file"
                diagnostics.append(.warning(message, at: value.location, ruleID: ruleID))
            }
            if outcome.values.count > limit {
                let message = "'\(text)' expands to more than \(limit) values; use fewer placeholder values"
                diagnostics.append(.error(message, at: value.location, ruleID: ruleID))
                return expanded
            }
            values += outcome.values.map { Located(.string($0), at: value.location) }
        }
        expanded.values = values
        return expanded
    }

    /// Every text `text` stands for, and the placeholders it names that have no definition.
    public static func expansions(
        of text: String, placeholders: [String: [String]]
    ) -> (values: [String], missing: [String], names: [String]) {
        var results = [""]
        var missing: [String] = []
        var names: [String] = []
        var characters = Array(text)[...]
        func append(_ literal: String) { results = results.map { $0 + literal } }
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "\\", characters.first == "%" {
                characters = characters.dropFirst()
                append("%")
                continue
            }
            guard character == "%", let end = characters.firstIndex(of: "%") else {
                append(String(character))
                continue
            }
            let name = String(characters[characters.startIndex..<end])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                append("%")
                continue
            }
            characters = characters[characters.index(after: end)...]
            names.append(name)
            guard let options = placeholders[name] else {
                missing.append(name)
                results = []
                continue
            }
            results = results.flatMap { prefix in options.map { prefix + $0 } }
            if results.count > limit { return (results, missing, names) }
        }
        return (results, missing, names)
    }
}
