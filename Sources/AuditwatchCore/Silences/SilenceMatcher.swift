/// One condition of a silence, as written: `rule=brute_force_user`, `level!=low`,
/// `group.actor.email=~.*@acme\.example`. Fields are `rule`, `level`, `tags`, `source` and
/// `group.<field>`; a regex (`=~`) is anchored (it must match the whole value) and runs on
/// `LinearRegex`, so a silence cannot stall the service.
public struct SilenceMatcher: Sendable, Equatable, Codable, CustomStringConvertible {
    /// How the value is compared.
    public enum Operation: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case regex = "=~"
    }

    /// What part of an alert the matcher reads.
    public enum Field: Sendable, Equatable {
        case rule, level, tags, source
        case group(String)

        public var name: String {
            switch self {
            case .rule: return "rule"
            case .level: return "level"
            case .tags: return "tags"
            case .source: return "source"
            case .group(let field): return "group." + field
            }
        }
    }

    public let field: Field
    public let operation: Operation
    public let value: String
    private let regex: LinearRegex?

    /// The matcher as written (`field`, operator, value).
    public var description: String { field.name + operation.rawValue + value }

    /// Parses `text`; a problem says at which column (1-based, in Unicode scalars) it is.
    public static func parse(_ text: String) -> Swift.Result<SilenceMatcher, SilenceProblem> {
        let scalars = Array(text.unicodeScalars)
        // The first operator: the field name has no '=' or '!' in it.
        guard let index = scalars.firstIndex(where: { $0 == "=" || $0 == "!" }) else {
            return .failure(
                SilenceProblem(
                    column: 1,
                    message: "a matcher is FIELD=VALUE, FIELD!=VALUE or FIELD=~REGEX, like rule=brute_force_user"))
        }
        let name = String(String.UnicodeScalarView(scalars[..<index]))
        let operation: Operation
        let valueStart: Int
        if scalars[index] == "!" {
            guard index + 1 < scalars.count, scalars[index + 1] == "=" else {
                return .failure(SilenceProblem(column: index + 1, message: "'!' is only part of '!='"))
            }
            operation = .notEqual
            valueStart = index + 2
        } else if index + 1 < scalars.count, scalars[index + 1] == "~" {
            operation = .regex
            valueStart = index + 2
        } else {
            operation = .equal
            valueStart = index + 1
        }
        let field: Field
        switch name {
        case "rule": field = .rule
        case "level": field = .level
        case "tags", "tag": field = .tags
        case "source": field = .source
        default:
            guard name.hasPrefix("group."), name.count > 6 else {
                let known = ["rule", "level", "tags", "source", "group.<field>"]
                return .failure(
                    SilenceProblem(
                        column: 1,
                        message: "unknown field '\(name)'; a silence matches on \(known.joined(separator: ", "))"
                            + Suggestions.didYouMean(name, in: ["rule", "level", "tags", "source"])))
            }
            field = .group(String(name.dropFirst(6)))
        }
        let value = String(String.UnicodeScalarView(scalars[valueStart...]))
        if field == .level, operation != .regex, RuleLevel(rawValue: value) == nil {
            return .failure(
                SilenceProblem(
                    column: valueStart + 1,
                    message: "unknown level '\(value)'; levels are "
                        + RuleLevel.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        var regex: LinearRegex?
        if operation == .regex {
            // Anchored, as Alertmanager's matchers are: `=~dana` means the whole value is "dana".
            let prefix = "\\A(?:"
            do {
                regex = try LinearRegex(prefix + value + ")\\z")
            } catch {
                let offset = min(max(0, error.offset - prefix.unicodeScalars.count), value.unicodeScalars.count)
                return .failure(
                    SilenceProblem(column: valueStart + offset + 1, message: "invalid regex: \(error.message)"))
            }
        }
        return .success(SilenceMatcher(field: field, operation: operation, value: value, regex: regex))
    }

    private init(field: Field, operation: Operation, value: String, regex: LinearRegex?) {
        self.field = field
        self.operation = operation
        self.value = value
        self.regex = regex
    }

    /// Whether `alert` satisfies this matcher. A group field the alert lacks reads as "", as a
    /// missing label does in Alertmanager; `tags` holds when any tag matches (`!=`: when none equals).
    public func matches(_ alert: Alert) -> Bool {
        switch field {
        case .rule: return compare(alert.ruleID)
        case .level: return compare(alert.level.rawValue)
        case .source: return compare(alert.source ?? "")
        case .group(let name): return compare(alert.group.first { $0.field == name }?.value ?? "")
        case .tags:
            if operation == .notEqual { return !alert.tags.contains(value) }
            return alert.tags.contains { compare($0) }
        }
    }

    private func compare(_ text: String) -> Bool {
        switch operation {
        case .equal: return text == value
        case .notEqual: return text != value
        case .regex: return regex?.matches(text) ?? false
        }
    }

    /// Whether the matcher holds for an empty value (a silence needs one that does not).
    var matchesEmpty: Bool {
        switch operation {
        case .equal: return value.isEmpty
        case .notEqual: return !value.isEmpty
        case .regex: return regex?.matches("") ?? false
        }
    }

    public static func == (lhs: SilenceMatcher, rhs: SilenceMatcher) -> Bool {
        lhs.description == rhs.description
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch SilenceMatcher.parse(text) {
        case .success(let matcher): self = matcher
        case .failure(let problem):
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: problem.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What is wrong with a silence's matcher or duration; `column` is 1-based in the matcher's text.
public struct SilenceProblem: Error, Sendable, Equatable {
    /// Which matcher (0-based), nil for the silence as a whole.
    public var matcher: Int?
    public var column: Int
    public var message: String

    public init(matcher: Int? = nil, column: Int = 1, message: String) {
        self.matcher = matcher
        self.column = column
        self.message = message
    }
}
