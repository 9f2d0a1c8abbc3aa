extension RuleCompiler.FieldContext {
    /// `field: null` (missing or null) and `field|neq: null`, pySigma's negated null test: a value
    /// other than null is there.
    mutating func nullTest() -> FieldMatcher? {
        if modifiers == [.neq] { return FieldMatcher(path: path, test: .notNull) }
        guard modifiers.isEmpty else {
            return fail("'null' cannot take modifiers in '\(key)'; use 'exists' to test presence")
        }
        return FieldMatcher(path: path, test: .null)
    }

    /// `field|exists: true|false`: presence only.
    mutating func existsTest() -> FieldMatcher? {
        guard modifiers.count == 1 else { return fail("'exists' cannot be combined with other modifiers in '\(key)'") }
        guard values.count == 1, case .bool(let expected) = values[0].value else {
            return fail("'exists' takes true or false in '\(key)'", at: values.first?.location)
        }
        return FieldMatcher(path: path, test: .exists(expected))
    }

    /// `fieldref`: compared with another field of the same event. pySigma accepts
    /// startswith/endswith/contains on a field reference (a LIKE on the other field's value), so
    /// auditwatch does too.
    mutating func fieldReference() -> FieldMatcher? {
        guard only(Modifier.placements.union([.fieldref, .cased]), "fieldref") else { return nil }
        var others: [FieldPath] = []
        for value in values {
            guard case .string(let name) = value.value else {
                return fail("'fieldref' takes field names in '\(key)'", at: value.location)
            }
            if name.contains("*") || name.contains("?") {
                return fail("'fieldref' names one field; '\(name)' has a wildcard", at: value.location)
            }
            do throws(FieldPathError) { others.append(try FieldPath(name)) } catch {
                return fail(error.message, at: value.location)
            }
        }
        // Two of contains/startswith/endswith put wildcards on both sides, as in pySigma.
        let shape: TextPattern.Shape =
            placement.contains(.contains) || placement.count > 1
            ? .contains
            : placement.contains(.startswith) ? .prefix : placement.contains(.endswith) ? .suffix : .exact
        return FieldMatcher(
            path: path,
            test: .fieldReference(
                others, placement: shape, caseSensitive: caseSensitive, requireAll: requireAll, negated: negated))
    }
}
