/// The loaded, compiled rules with an index from event type to the rules that can match it.
public struct RuleSet: Sendable {
    public let rules: [CompiledRule]
    /// For each known type, the rules to try in load order; `fallback` for any other type.
    private let byType: [String: [Int]]
    private let fallback: [Int]

    public init(_ rules: [CompiledRule]) {
        let enabled = rules.indices.filter { rules[$0].rule.enabled }
        self.rules = rules
        fallback = enabled.filter { rules[$0].eventTypes == nil }
        var byType: [String: [Int]] = [:]
        for index in enabled {
            for type in rules[index].eventTypes ?? [] { byType[type, default: []].append(index) }
        }
        for (type, indices) in byType {
            byType[type] = (indices + fallback).sorted()
        }
        self.byType = byType
    }

    /// Indices of the rules `event` matches, in load order.
    public func matches(_ event: Event) -> [Int] {
        matches(event, type: RuleSet.indexKey(event))
    }

    /// Indices of the rules `event` matches, given its `indexKey`.
    public func matches(_ event: Event, type: String) -> [Int] {
        var result: [Int] = []
        for index in byType[type] ?? fallback where rules[index].matches(event) { result.append(index) }
        return result
    }

    /// The event's type as the index keys it: lowercased, since values match case-insensitively.
    public static func indexKey(_ event: Event) -> String {
        event.withTypeBytes { bytes -> String in
            TextPattern.isASCII(bytes)
                ? String(decoding: bytes.map(TextPattern.lower), as: UTF8.self)
                : String(decoding: bytes, as: UTF8.self).lowercased()
        }
    }
}
