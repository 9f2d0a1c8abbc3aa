/// How a team fits the shipped rules to its organization without editing them: placeholder
/// values, calendar settings, rules switched off and levels changed (`auditwatch.yml`,
/// `--placeholders FILE`).
public struct RuleTuning: Sendable {
    /// Values of `expand` placeholders by name (no `%`); each replaces the pack's default whole.
    public var placeholders: [String: [String]] = [:]
    /// Per calendar name, the keys (`location`, `time_intervals`, `holidays`) that replace the
    /// calendar's own; keys not given keep the pack's values.
    public var calendars: [String: CalendarSettings] = [:]
    /// Rules (ids or names) loaded and checked but never run.
    public var disabledRules: [Located<String>] = []
    /// Rules (ids or names) whose alerts get another level.
    public var ruleLevels: [LevelOverride] = []

    public init() {}

    /// Whether nothing is tuned.
    public var isEmpty: Bool {
        placeholders.isEmpty && calendars.isEmpty && disabledRules.isEmpty && ruleLevels.isEmpty
    }

    /// The settings of one calendar, as written under `calendars:`.
    public struct CalendarSettings: Sendable {
        public var node: DocumentNode
        public init(node: DocumentNode) { self.node = node }
    }

    /// `rule_levels: {rule: level}`.
    public struct LevelOverride: Sendable {
        public var rule: Located<String>
        public var level: RuleLevel
        public init(rule: Located<String>, level: RuleLevel) {
            self.rule = rule
            self.level = level
        }
    }

    /// The keys a calendar's settings may replace.
    public static let calendarKeys: Set<String> = ["location", "time_intervals", "holidays"]

    /// `tuning` applied over this one: its placeholders and calendar keys win, its lists add up.
    public func merged(with tuning: RuleTuning) -> RuleTuning {
        var result = self
        result.placeholders.merge(tuning.placeholders) { _, new in new }
        result.calendars.merge(tuning.calendars) { _, new in new }
        result.disabledRules += tuning.disabledRules
        result.ruleLevels += tuning.ruleLevels
        return result
    }

    /// Reads a `placeholders:` mapping (`name: [values]`, a single value allowed).
    public static func decodePlaceholders(_ node: DocumentNode, diagnostics: inout [Diagnostic]) -> [String: [String]] {
        var reader = MappingReader(node, what: "'placeholders'", known: nil)
        var result: [String: [String]] = [:]
        for name in reader.orderedKeys {
            if name.hasPrefix("%") || name.hasSuffix("%") {
                let bare = String(name.filter { $0 != "%" })
                let message = "write the placeholder name without '%': '\(bare)'"
                reader.diagnostics.append(.error(message, at: reader.keyLocation(name)!))
            }
            let value = reader[name]!
            if value.sequence?.contains(where: { $0.scalar == nil }) == true || value.mapping != nil {
                reader.diagnostics.append(.error("placeholder '\(name)' takes a list of strings", at: value.location))
                continue
            }
            result[name] = value.sequence != nil || value.scalar?.resolved != .null ? reader.strings(name) : []
        }
        diagnostics += reader.diagnostics
        return result
    }
}
