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
        // Most scalars are words: a byte no number can hold settles it before any parsing.
        guard Self.mayBeNumber(text) else { return .string(text) }
        if let integer = Self.integer(text) { return .int(integer) }
        if let number = Self.float(text) { return .double(number) }
        return .string(text)
    }

    /// False when `text` has a byte that neither `integer` nor `float` accepts anywhere: a sign,
    /// a digit, `.`, the `x`/`o` of a radix prefix, hexadecimal letters, and the letters of
    /// `.inf` and `.nan` (every other byte, non-ASCII ones included, makes both give nil).
    private static func mayBeNumber(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
                UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "i"), UInt8(ascii: "n"),
                UInt8(ascii: "I"), UInt8(ascii: "N"):
                continue
            default:
                return false
            }
        }
        return true
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

    private static let floatCharacters = Set("0123456789.eE+-")

    private static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // The core schema's float: digits with a '.' and/or an exponent.
        guard text.contains(where: \.isNumber), text.allSatisfy({ floatCharacters.contains($0) }),
            text.contains(".") || text.contains("e") || text.contains("E")
        else { return nil }
        return Double(text)
    }
}
