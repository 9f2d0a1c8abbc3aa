extension RuleCompiler.FieldContext {
    /// The most variants `windash` may make of one value.
    static let variantLimit = 625

    /// The text encoding `base64`/`base64offset` apply, after checking how the encoders, `base64*`,
    /// `windash` and `all` combine; nil after reporting why they do not.
    mutating func checkedEncoding() -> ValueEncoding.TextEncoding? {
        let encoders = modifiers.intersection(Modifier.encoders)
        let base64 = modifiers.intersection(Modifier.base64Forms)
        if encoders.count > 1 { return fail("only one of utf16le, utf16be, utf16, wide may be used in '\(key)'") }
        if base64.count > 1 { return fail("'base64' and 'base64offset' cannot be combined in '\(key)'") }
        if let encoder = encoders.first, base64.isEmpty {
            return fail("'\(encoder.rawValue)' only works in front of base64 or base64offset in '\(key)'")
        }
        // `windash|base64…` encodes each dash variant (as pySigma); the other order would read
        // Base64's own '/' as a dash.
        let order = test.modifiers
        let windashFirst =
            (order.firstIndex(of: .windash) ?? .max) < (order.firstIndex { base64.contains($0) } ?? .max)
        if modifiers.contains(.windash) && !base64.isEmpty && !windashFirst {
            return fail("'windash' must come before base64 in '\(key)'")
        }
        if requireAll && (modifiers.contains(.windash) || base64.contains(.base64offset)) {
            return fail("'all' cannot be combined with modifiers that expand a value into variants in '\(key)'")
        }
        switch encoders.first {
        case .utf16le?, .wide?: return .utf16le
        case .utf16be?: return .utf16be
        case .utf16?: return .utf16
        default: return .utf8
        }
    }

    /// The texts one value is searched as: itself, its `windash` variants, or their Base64 forms
    /// in `encoding`; nil after reporting a value the encodings cannot take.
    mutating func encodedTexts(
        _ value: Located<RuleValue>, encoding: ValueEncoding.TextEncoding
    ) -> [String]? {
        let text = value.value.text
        let windash = modifiers.contains(.windash)
        guard let base64 = modifiers.intersection(Modifier.base64Forms).first else {
            guard windash else { return [text] }
            return checkedVariants(ValueEncoding.windashVariants(text), of: value)
        }
        if Self.hasWildcard(text) {
            return fail(
                "'\(base64.rawValue)' encodes the value as written, so it cannot hold a wildcard; "
                    + "escape it as \\* or \\?", at: value.location)
        }
        guard let plain = windash ? checkedVariants(ValueEncoding.windashVariants(text), of: value) : [text] else {
            return nil
        }
        let bytes = plain.map { ValueEncoding.bytes($0, encoding) }
        return base64 == .base64 ? bytes.map(ValueEncoding.base64) : bytes.flatMap(ValueEncoding.base64Offsets)
    }

    private mutating func checkedVariants(_ variants: [String], of value: Located<RuleValue>) -> [String]? {
        guard variants.count <= Self.variantLimit else {
            return fail(
                "'windash' on '\(value.value)' makes more than \(Self.variantLimit) variants; split the value",
                at: value.location)
        }
        return variants
    }

    /// Whether a value has a `*` or `?` that Sigma reads as a wildcard (not escaped by `\`).
    static func hasWildcard(_ text: String) -> Bool {
        var escaped = false
        for character in text {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "*" || character == "?" { return true }
        }
        return false
    }
}
