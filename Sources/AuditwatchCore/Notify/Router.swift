/// Sends each alert to notifiers: the rule's own `notify` list if it has one, else the first
/// matching route (and the following ones while a matching route says `continue`), else the default.
public struct Router: Sendable {
    public struct Route: Sendable {
        public var levels: Set<RuleLevel>?
        public var tags: [String]?
        public var rules: Set<String>?
        public var notifiers: [String]
        public var continueMatching: Bool
        public var location: SourceLocation

        public init(
            levels: Set<RuleLevel>?, tags: [String]?, rules: Set<String>?, notifiers: [String], continueMatching: Bool,
            location: SourceLocation
        ) {
            self.levels = levels
            self.tags = tags
            self.rules = rules
            self.notifiers = notifiers
            self.continueMatching = continueMatching
            self.location = location
        }

        func matches(_ alert: Alert) -> Bool {
            if let levels, !levels.contains(alert.level) { return false }
            if let rules, !rules.contains(alert.ruleID) { return false }
            if let tags, !tags.contains(where: { tag in alert.tags.contains { $0.lowercased() == tag.lowercased() } }) {
                return false
            }
            return true
        }
    }

    public var routes: [Route]
    public var defaultNotifiers: [String]
    /// Rule id → the notifiers the rule names itself.
    public var ruleNotifiers: [String: [String]]

    public init(routes: [Route], defaultNotifiers: [String], ruleNotifiers: [String: [String]] = [:]) {
        self.routes = routes
        self.defaultNotifiers = defaultNotifiers
        self.ruleNotifiers = ruleNotifiers
    }

    public func notifiers(for alert: Alert) -> [String] {
        if let own = ruleNotifiers[alert.ruleID] { return own }
        var chosen: [String] = []
        for route in routes where route.matches(alert) {
            for name in route.notifiers where !chosen.contains(name) { chosen.append(name) }
            if !route.continueMatching { return chosen }
        }
        return chosen.isEmpty ? defaultNotifiers : chosen
    }
}
