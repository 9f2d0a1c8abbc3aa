/// A rule's `detection` block: named selections and a condition over their names.
public struct Detection: Sendable {
    public var selections: [Selection]
    /// The condition(s) as written; several are ORed, as Sigma specifies.
    public var conditions: [Located<String>]
    public var location: SourceLocation

    public init(selections: [Selection], conditions: [Located<String>], location: SourceLocation) {
        self.selections = selections
        self.conditions = conditions
        self.location = location
    }
}

/// A named selection: the OR of its alternatives, each the AND of its field tests.
public struct Selection: Sendable {
    public var name: String
    public var alternatives: [[FieldTest]]
    public var location: SourceLocation

    public init(name: String, alternatives: [[FieldTest]], location: SourceLocation) {
        self.name = name
        self.alternatives = alternatives
        self.location = location
    }
}

/// `field|modifier|modifier: value(s)` as written.
public struct FieldTest: Sendable {
    /// The field path; empty for keywords (values searched for in every value of the event).
    public var field: String
    /// The modifiers in written order (the decoder has refused unknown and repeated ones).
    public var modifiers: [Modifier]
    public var values: [Located<RuleValue>]
    /// Whether the values were written as a list (Sigma: `|all` is invalid on a single value).
    public var isList: Bool
    /// Where the key (`field|mods`) is.
    public var location: SourceLocation

    /// Whether this is a keyword test: Sigma's search without a field.
    public var isKeyword: Bool { field.isEmpty }

    /// The key as written: `field|mod|mod`.
    public var key: String { ([field] + modifiers.map(\.rawValue)).joined(separator: "|") }

    public init(
        field: String, modifiers: [Modifier], values: [Located<RuleValue>], isList: Bool, location: SourceLocation
    ) {
        self.field = field
        self.modifiers = modifiers
        self.values = values
        self.isList = isList
        self.location = location
    }
}

/// A value in a detection, typed as YAML wrote it.
public enum RuleValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    /// The text Sigma compares when it treats the value as a string.
    public var text: String {
        switch self {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .double(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }

    public var description: String { self == .null ? "null" : text }

    /// The value as a number, when it is one or a numeric string.
    public var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .string(let text): return NumericText.value(text)
        default: return nil
        }
    }
}

/// A value with the place it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    /// How a scalar value was written, when it came from one: a diagnostic inside the value
    /// (a regex error) needs it to find the column.
    public var style: DocumentNode.Scalar.Style?

    public init(_ value: Value, at location: SourceLocation, style: DocumentNode.Scalar.Style? = nil) {
        self.value = value
        self.location = location
        self.style = style
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
