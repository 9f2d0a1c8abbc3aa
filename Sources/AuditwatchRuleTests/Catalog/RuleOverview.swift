public import AuditwatchCore
public import AuditwatchYAML

/// What `rules list` and `rules coverage --types` show of each rule: the documented event types
/// it reads, and whether it is a building block (it alerts only through the correlations on it).
public struct RuleOverview: Sendable {
    public var id: String
    /// `rule`, or the correlation's type.
    public var kind: String
    public var title: String
    public var level: RuleLevel
    public var location: SourceLocation
    public var enabled: Bool
    /// The documented types it can match, sorted; nil when any type can match.
    public var types: [String]?
    /// The correlations it alerts through, when it is a building block; empty otherwise.
    public var buildingBlockOf: [String]

    public var isBuildingBlock: Bool { !buildingBlockOf.isEmpty }

    /// Every rule and correlation of `loaded`, in file order.
    public static func all(_ loaded: RuleLoader.Loaded) -> [RuleOverview] {
        var users: [String: [String]] = [:]
        var generating = Set<String>()
        for correlation in loaded.correlations {
            for reference in correlation.rule.rules {
                users[reference.value, default: []].append(correlation.rule.id)
                if correlation.rule.generate { generating.insert(reference.value) }
            }
        }
        return RuleCatalog.entries(loaded).map { entry in
            let keys = [entry.id] + (entry.name.map { [$0] } ?? [])
            let through =
                entry.kind == "rule" && !keys.contains(where: generating.contains)
                ? keys.flatMap { users[$0] ?? [] } : []
            return RuleOverview(
                id: entry.id, kind: entry.kind, title: entry.title, level: entry.level,
                location: entry.location, enabled: entry.enabled,
                types: entry.types.map { $0.sorted() },
                buildingBlockOf: through)
        }
    }

    /// The documented event types no enabled rule reads (a rule that reads any type reads them all).
    public static func unreadTypes(_ overviews: [RuleOverview]) -> [String] {
        let enabled = overviews.filter(\.enabled)
        if enabled.contains(where: { $0.kind == "rule" && $0.types == nil }) { return [] }
        let read = Set(enabled.flatMap { $0.types ?? [] })
        return EventSchema.types.filter { !read.contains($0) }.sorted()
    }
}
