/// The answer to "why did (or didn't) this rule match this event?", for `rules explain`.
public struct RuleExplanation: Sendable {
    public struct FieldResult: Sendable {
        /// The entry as the rule wrote it.
        public var entry: String
        public var matched: Bool
        /// The event's values at that path (JSON text), empty when the field is missing.
        public var actual: [String]
        /// For a missing field no documented event carries: the validator's did-you-mean.
        public var suggestion: String = ""
        /// A keyword: `actual` holds the values it found anywhere in the event.
        public var isKeyword = false
    }

    public struct SelectionResult: Sendable {
        public var name: String
        public var matched: Bool
        /// The alternatives (ORed), each a list of entries (ANDed).
        public var alternatives: [[FieldResult]]
    }

    public var ruleID: String
    public var matched: Bool
    /// The condition with its structure made explicit.
    public var condition: String
    public var selections: [SelectionResult]

    /// A readable report.
    public var text: String {
        var lines = ["rule \(ruleID): \(matched ? "MATCHES" : "does not match")", "  condition: \(condition)"]
        for selection in selections {
            lines.append("  selection \(selection.name): \(selection.matched ? "true" : "false")")
            for (index, alternative) in selection.alternatives.enumerated() {
                if selection.alternatives.count > 1 { lines.append("    alternative \(index + 1) (all of):") }
                let indent = selection.alternatives.count > 1 ? "      " : "    "
                for field in alternative {
                    let missing = field.isKeyword ? "no value of the event matches" : "field missing" + field.suggestion
                    let actual = field.actual.isEmpty ? missing : "event has " + field.actual.joined(separator: ", ")
                    lines.append(
                        "\(indent)\(field.matched ? "✔" : "✘") \(AlertFormatter.printable(field.entry))  (\(AlertFormatter.printable(actual)))"
                    )
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
