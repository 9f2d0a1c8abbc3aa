/// A YAML scalar resolved by the YAML 1.2 core schema: plain `true`, `12`, `~` are typed;
/// quoted scalars are always strings.
public enum ScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
}

extension DocumentNode.Scalar {
    /// The typed value this scalar stands for.
    public var resolved: ScalarValue {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!!str": return .string(text)
            case "tag:yaml.org,2002:null", "!!null": return .null
            default: break
            }
        }
        guard style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let integer = Self.integer(text) { return .int(integer) }
        if let number = Self.float(text) { return .double(number) }
        return .string(text)
    }

    private static func integer(_ text: String) -> Int64? {
        var body = Substring(text)
        var sign: Int64 = 1
        if body.first == "-" || body.first == "+" {
            if body.first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        if body.hasPrefix("0x") { return Int64(body.dropFirst(2), radix: 16).map { $0 * sign } }
        if body.hasPrefix("0o") { return Int64(body.dropFirst(2), radix: 8).map { $0 * sign } }
        guard !body.isEmpty, body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) else { return nil }
        return Int64(body).map { $0 * sign }
    }

    private static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // The core schema's float: digits with a '.' and/or an exponent.
        let allowed = Set("0123456789.eE+-")
        guard text.contains(where: \.isNumber), text.allSatisfy({ allowed.contains($0) }),
            text.contains(".") || text.contains("e") || text.contains("E")
        else { return nil }
        return Double(text)
    }
}
