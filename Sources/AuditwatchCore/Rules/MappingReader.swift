/// Reads a YAML mapping against a set of known keys, reporting unknown keys (with a suggestion),
/// duplicates and mistyped values as located diagnostics.
public struct MappingReader {
    public let node: DocumentNode
    private var values: [String: DocumentNode] = [:]
    private var keyLocations: [String: SourceLocation] = [:]
    /// Keys in written order.
    public private(set) var orderedKeys: [String] = []
    public var diagnostics: [Diagnostic] = []
    public let ruleID: String?

    /// Reads `node`; `known` nil accepts any key (for maps of user-chosen names). With
    /// `customKeys` (Sigma lets rules carry attributes of their own), an unknown key is kept
    /// quietly, unless it is a likely typo of a known one: then it is a warning with the suggestion.
    public init(
        _ node: DocumentNode, what: String, known: Set<String>?, ruleID: String? = nil, customKeys: Bool = false
    ) {
        self.node = node
        self.ruleID = ruleID
        guard let entries = node.mapping else {
            diagnostics.append(
                .error("\(what) must be a mapping, found \(node.kindDescription)", at: node.location, ruleID: ruleID))
            return
        }
        values.reserveCapacity(entries.count)
        keyLocations.reserveCapacity(entries.count)
        orderedKeys.reserveCapacity(entries.count)
        for entry in entries {
            guard let key = entry.key.scalar?.text else {
                diagnostics.append(
                    .error("keys in \(what) must be plain names", at: entry.key.location, ruleID: ruleID))
                continue
            }
            if let first = keyLocations[key] {
                diagnostics.append(
                    .error(
                        "duplicate key '\(key)' in \(what) (first at line \(first.line))", at: entry.key.location,
                        ruleID: ruleID))
                continue
            }
            if let known, !known.contains(key) {
                let suggestion = Suggestions.didYouMean(key, in: known.sorted())
                guard customKeys else {
                    diagnostics.append(
                        .error("unknown key '\(key)' in \(what)\(suggestion)", at: entry.key.location, ruleID: ruleID))
                    continue
                }
                if !suggestion.isEmpty {
                    diagnostics.append(
                        .warning(
                            "unknown key '\(key)' in \(what), kept as a custom attribute\(suggestion)",
                            at: entry.key.location, ruleID: ruleID))
                }
            }
            values[key] = entry.value
            keyLocations[key] = entry.key.location
            orderedKeys.append(key)
        }
    }

    public subscript(key: String) -> DocumentNode? { values[key] }

    public func keyLocation(_ key: String) -> SourceLocation? { keyLocations[key] }

    /// A string value; numbers and booleans are taken as their text.
    public mutating func string(_ key: String, required: Bool = false, what: String = "") -> String? {
        guard let value = values[key] else {
            if required {
                diagnostics.append(
                    .error(
                        "missing required key '\(key)'\(what.isEmpty ? "" : " in \(what)")", at: node.location,
                        ruleID: ruleID))
            }
            return nil
        }
        guard let scalar = value.scalar, scalar.resolved != .null else {
            diagnostics.append(
                .error("'\(key)' must be a string, found \(value.kindDescription)", at: value.location, ruleID: ruleID))
            return nil
        }
        return scalar.text
    }

    /// A list of strings; a single string is accepted as a list of one.
    public mutating func strings(_ key: String) -> [String] {
        guard let value = values[key] else { return [] }
        if let scalar = value.scalar, scalar.resolved != .null { return [scalar.text] }
        guard let items = value.sequence else {
            diagnostics.append(
                .error(
                    "'\(key)' must be a list of strings, found \(value.kindDescription)", at: value.location,
                    ruleID: ruleID))
            return []
        }
        var result: [String] = []
        for item in items {
            guard let scalar = item.scalar, scalar.resolved != .null else {
                diagnostics.append(
                    .error(
                        "'\(key)' must be a list of strings, found \(item.kindDescription) in it", at: item.location,
                        ruleID: ruleID))
                continue
            }
            result.append(scalar.text)
        }
        return result
    }

    /// A boolean value.
    public mutating func bool(_ key: String) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case .bool(let flag)? = value.scalar?.resolved else {
            diagnostics.append(
                .error(
                    "'\(key)' must be true or false, found \(value.kindDescription)", at: value.location, ruleID: ruleID
                ))
            return nil
        }
        return flag
    }
}
