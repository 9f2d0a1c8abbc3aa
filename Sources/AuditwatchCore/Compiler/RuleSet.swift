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
        var result: [Int] = []
        for index in candidates(for: event) where rules[index].matches(event) { result.append(index) }
        return result
    }

    /// The rules worth evaluating for `event`'s type.
    public func candidates(for event: Event) -> [Int] {
        if byType.isEmpty { return fallback }
        let type = event.withTypeBytes { bytes -> String in
            TextPattern.isASCII(bytes)
                ? String(decoding: bytes.map(TextPattern.lower), as: UTF8.self)
                : String(decoding: bytes, as: UTF8.self).lowercased()
        }
        return byType[type] ?? fallback
    }
}
