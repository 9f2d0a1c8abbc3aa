/// Limits and tolerances of the engine.
public struct EngineOptions: Sendable {
    /// How late (behind the newest event time) an event may arrive and still count in its window.
    public var lateness: Int64 = 300
    /// Live groups per correlation; beyond it the least recently updated group is dropped (and counted).
    public var maxGroupsPerRule = 100_000
    /// Remembered values per group for `new_value`.
    public var maxValuesPerGroup = 10_000
    /// Events kept per group window (the oldest go first); bounds memory under a flood. A count
    /// condition that would need more is refused when the rule loads.
    public var maxEntriesPerGroup = EngineOptions.defaultMaxEntriesPerGroup
    public static let defaultMaxEntriesPerGroup = 10_000

    public init() {}
}
