import AuditwatchCore

/// Where a secret comes from. Configuration never holds a credential itself.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    case environment(String)
    case file(String)
    /// Only for values that are not credentials (a generic webhook's URL).
    case literal(String)

    public var description: String {
        switch self {
        case .environment(let name): return "${\(name)}"
        case .file(let path): return "file \(path)"
        case .literal: return "(literal)"
        }
    }
}

extension SecretReference {
    /// The one reader of secret references: `${NAME}`, `{env: NAME}` or `{file: PATH}`. Other text is
    /// a literal when `credential` is nil; otherwise it is refused with that message, its source
    /// line hidden (the text may be the secret itself).
    static func decode(
        _ node: DocumentNode, key: String, ruleID: String?, credential: String?, diagnostics: inout [Diagnostic]
    ) -> SecretReference? {
        if let text = node.scalar?.text {
            if text.hasPrefix("${") && text.hasSuffix("}") && text.count > 3 {
                return .environment(String(text.dropFirst(2).dropLast()))
            }
            guard let credential else { return .literal(text) }
            var problem = Diagnostic.error(credential, at: node.location, ruleID: ruleID)
            problem.hidesSource = true
            diagnostics.append(problem)
            return nil
        }
        var inner = MappingReader(node, what: "'\(key)'", known: ConfigDecoder.secretKeys, ruleID: ruleID)
        defer { diagnostics += inner.diagnostics }
        if let variable = inner.string("env") { return .environment(variable) }
        if let path = inner.string("file") { return .file(path) }
        inner.diagnostics.append(
            .error("'\(key)' needs {env: NAME} or {file: PATH}", at: node.location, ruleID: ruleID))
        return nil
    }
}
