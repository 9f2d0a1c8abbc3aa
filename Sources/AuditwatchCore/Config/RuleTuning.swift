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
    /// An organization's `time_zone`: the `location` of every calendar its `calendars:` do not
    /// place themselves.
    public var timeZone: Located<String>?

    public init() {}

    /// Whether nothing is tuned.
    public var isEmpty: Bool {
        placeholders.isEmpty && calendars.isEmpty && disabledRules.isEmpty && ruleLevels.isEmpty && timeZone == nil
    }

    /// The settings of one calendar, as written under `calendars:`.
    public struct CalendarSettings: Sendable {
        public var node: DocumentNode
        public init(node: DocumentNode) { self.node = node }

        /// These settings with the keys `other` sets replaced.
        func overlaid(by other: CalendarSettings) -> CalendarSettings {
            var entries = node.mapping ?? []
            for entry in other.node.mapping ?? [] {
                entries.removeAll { $0.key.scalar?.text == entry.key.scalar?.text }
                entries.append(entry)
            }
            return CalendarSettings(node: DocumentNode(.mapping(entries), at: other.node.location))
        }

        mutating func remove(_ key: String) {
            guard let entries = node.mapping else { return }
            node = DocumentNode(.mapping(entries.filter { $0.key.scalar?.text != key }), at: node.location)
        }
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

    /// `tuning` applied over this one (an organization's over the config's): its placeholders and
    /// calendar keys win key by key, its lists add up, and its `time_zone` replaces every calendar
    /// `location` of this one.
    public func merged(with tuning: RuleTuning) -> RuleTuning {
        var result = self
        result.placeholders.merge(tuning.placeholders) { _, new in new }
        if let zone = tuning.timeZone {
            result.timeZone = zone
            for name in result.calendars.keys { result.calendars[name]!.remove("location") }
        }
        for (name, settings) in tuning.calendars {
            result.calendars[name] = result.calendars[name].map { $0.overlaid(by: settings) } ?? settings
        }
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
