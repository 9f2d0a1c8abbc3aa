/// The one way group-by values are joined into a key: U+001F between values, U+0000 for a missing
/// one. Correlation groups, suppression periods and alert diffs are keyed by it, and engine state
/// stores these keys, so the bytes never change.
public enum GroupKey {
    static let separator = "\u{1F}"
    static let missing = "\u{0}"

    /// `values` joined, each through `transform` (case folding for correlation groups); a single
    /// value is its own key.
    @inline(__always)
    static func join(_ values: [String?], transform: (String) -> String) -> String {
        if values.count == 1 { return transform(values[0] ?? missing) }
        return values.map { transform($0 ?? missing) }.joined(separator: separator)
    }

    /// `values` joined as they are.
    public static func join(_ values: [String?]) -> String { join(values) { $0 } }

    /// The key of an alert's group (its values, in group-by order).
    public static func of(_ group: [GroupValue]) -> String { join(group.map(\.value)) }
}
