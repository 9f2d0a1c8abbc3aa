public import AuditwatchCore

/// The console's alert filters (`/?rule=…&level=…&source=…`); an empty value does not filter.
public struct AlertFilter: Sendable, Equatable {
    public var rule: String
    public var level: String
    public var source: String

    public init(rule: String = "", level: String = "", source: String = "") {
        self.rule = rule
        self.level = level
        self.source = source
    }

    public func accepts(_ alert: Alert) -> Bool {
        (rule.isEmpty || alert.ruleID == rule) && (level.isEmpty || alert.level.rawValue == level)
            && (source.isEmpty || (alert.source ?? "") == source)
    }

    public var isEmpty: Bool { rule.isEmpty && level.isEmpty && source.isEmpty }
}
