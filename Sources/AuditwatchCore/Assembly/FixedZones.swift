/// A zone lookup over zones given in code: UTC, and whatever else a test needs.
public struct FixedZones: ZoneLookup {
    public var zones: [String: ZoneRules]

    public init(_ zones: [String: ZoneRules] = [:]) {
        self.zones = zones.merging(["UTC": .utc]) { given, _ in given }
    }

    public func zone(_ name: String) -> Result<ZoneRules, ZoneError> {
        zones[name].map { .success($0) } ?? .failure(ZoneError("unknown time zone '\(name)'"))
    }

    public func suggestion(for name: String) -> String {
        Suggestions.didYouMean(name, in: zones.keys.sorted())
    }
}
