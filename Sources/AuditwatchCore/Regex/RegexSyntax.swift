/// The parsed form of a rule regular expression.
indirect enum RegexNode: Sendable, Equatable {
    case empty
    case scalar(Unicode.Scalar)
    case any                          // `.`
    case set(ScalarSet)
    case lineStart, lineEnd           // `^`, `$`
    case concat([RegexNode])
    case alternation([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)  // nil: unbounded
}

/// A character class: ranges of scalars, possibly negated.
struct ScalarSet: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool

    func contains(_ value: UInt32) -> Bool {
        var inside = false
        for range in ranges where range.contains(value) { inside = true; break }
        return inside != negated
    }

    static let digit = ScalarSet(ranges: [48...57], negated: false)
    static let word = ScalarSet(ranges: [48...57, 65...90, 95...95, 97...122], negated: false)
    static let space = ScalarSet(ranges: [9...13, 32...32], negated: false)
}

/// A regular expression that cannot be compiled, with the offset (in characters) of the problem.
public struct RegexError: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
}

/// Parses the subset of regular-expression syntax Sigma allows, plus the common escapes
/// (`\d \w \s`, their negations, escaped punctuation). Backreferences and lookaround are refused:
/// they cannot be matched in linear time.
struct RegexParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    /// Bound on counted repetition, so a rule cannot blow up the compiled program.
    static let maxRepeat = 1_000

    init(_ pattern: String) { scalars = Array(pattern.unicodeScalars) }

    mutating func parse() throws(RegexError) -> RegexNode {
        let node = try parseAlternation()
        if index < scalars.count { throw RegexError(offset: index, message: "unmatched ')' in regular expression") }
        return node
    }

    private mutating func parseAlternation() throws(RegexError) -> RegexNode {
        var branches = [try parseConcat()]
        while index < scalars.count && scalars[index] == "|" {
            index += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while index < scalars.count && scalars[index] != "|" && scalars[index] != ")" {
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom)
            items.append(atom)
        }
        return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .concat(items))
    }

    private mutating func parseQuantifiers(_ atom: RegexNode) throws(RegexError) -> RegexNode {
        var node = atom
        var quantified = false
        while index < scalars.count {
            let start = index
            var bounds: (Int, Int?)
            switch scalars[index] {
            case "*": bounds = (0, nil); index += 1
            case "+": bounds = (1, nil); index += 1
            case "?": bounds = (0, 1); index += 1
            case "{":
                guard let parsed = try parseBraces() else { return node }
                bounds = parsed
            default: return node
            }
            if quantified {
                // A '?' straight after a quantifier makes it lazy: the same language, so the same match.
                if scalars[start] == "?" && index == start + 1 { continue }
                throw RegexError(offset: start, message: "multiple repeat '\(scalars[start])'")
            }
            switch node {
            case .lineStart, .lineEnd, .empty: throw RegexError(offset: start, message: "nothing to repeat before '\(scalars[start])'")
            default: break
            }
            node = .repeated(node, min: bounds.0, max: bounds.1)
            quantified = true
            if index < scalars.count && scalars[index] == "+" {
                throw RegexError(offset: index, message: "possessive quantifiers are not supported")
            }
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`; a `{` that starts none of them is a literal (as in most engines).
    private mutating func parseBraces() throws(RegexError) -> (Int, Int?)? {
        let start = index
        var cursor = index + 1
        func number() -> Int? {
            var digits = ""
            while cursor < scalars.count, let value = scalars[cursor].properties.numericType, value == .decimal, scalars[cursor].isASCII {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            return digits.isEmpty ? nil : Int(digits.prefix(7))
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if cursor < scalars.count && scalars[cursor] == "," {
            cursor += 1
            high = number()
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        index = cursor + 1
        if let high, high < low { throw RegexError(offset: start, message: "repetition {\(low),\(high)} has its bounds reversed") }
        if low > RegexParser.maxRepeat || (high ?? 0) > RegexParser.maxRepeat {
            throw RegexError(offset: start, message: "repetition counts above \(RegexParser.maxRepeat) are not allowed")
        }
        return (low, high)
    }

    private mutating func parseAtom() throws(RegexError) -> RegexNode {
        let scalar = scalars[index]
        switch scalar {
        case "(":
            let open = index
            index += 1
            if index < scalars.count && scalars[index] == "?" {
                if index + 1 < scalars.count && scalars[index + 1] == ":" {
                    index += 2
                } else if index + 1 < scalars.count && scalars[index + 1] == "P" || (index + 1 < scalars.count && scalars[index + 1] == "<" && index + 2 < scalars.count && scalars[index + 2] != "=" && scalars[index + 2] != "!") {
                    // Named groups: skip the name, keep the group.
                    while index < scalars.count && scalars[index] != ">" { index += 1 }
                    index += 1
                } else {
                    throw RegexError(offset: open, message: "lookaround and inline flags are not supported; use the i, m, s modifiers")
                }
            }
            let inner = try parseAlternation()
            guard index < scalars.count, scalars[index] == ")" else { throw RegexError(offset: open, message: "missing ')' for the '(' here") }
            index += 1
            return inner
        case ")":
            throw RegexError(offset: index, message: "unmatched ')'")
        case "*", "+", "?":
            throw RegexError(offset: index, message: "nothing to repeat before '\(scalar)'")
        case ".": index += 1; return .any
        case "^": index += 1; return .lineStart
        case "$": index += 1; return .lineEnd
        case "[": return .set(try parseClass())
        case "\\": return try parseEscape(inClass: false).node
        default:
            index += 1
            return .scalar(scalar)
        }
    }

    private mutating func parseEscape(inClass: Bool) throws(RegexError) -> (node: RegexNode, set: ScalarSet?) {
        let start = index
        index += 1
        guard index < scalars.count else { throw RegexError(offset: start, message: "trailing backslash") }
        let code = scalars[index]
        index += 1
        switch code {
        case "d": return (.set(.digit), .digit)
        case "D": return (.set(ScalarSet(ranges: ScalarSet.digit.ranges, negated: true)), ScalarSet(ranges: ScalarSet.digit.ranges, negated: true))
        case "w": return (.set(.word), .word)
        case "W": return (.set(ScalarSet(ranges: ScalarSet.word.ranges, negated: true)), ScalarSet(ranges: ScalarSet.word.ranges, negated: true))
        case "s": return (.set(.space), .space)
        case "S": return (.set(ScalarSet(ranges: ScalarSet.space.ranges, negated: true)), ScalarSet(ranges: ScalarSet.space.ranges, negated: true))
        case "n": return (.scalar("\n"), nil)
        case "t": return (.scalar("\t"), nil)
        case "r": return (.scalar("\r"), nil)
        case "b", "B", "A", "Z", "z", "G":
            if inClass && code == "b" { return (.scalar("\u{8}"), nil) }
            throw RegexError(offset: start, message: "'\\\(code)' assertions are not supported")
        case "1"..."9":
            throw RegexError(offset: start, message: "backreferences cannot be matched in linear time and are not supported")
        default:
            if code.properties.isAlphabetic || code.properties.numericType != nil {
                throw RegexError(offset: start, message: "unknown escape '\\\(code)'")
            }
            return (.scalar(code), nil)
        }
    }

    private mutating func parseClass() throws(RegexError) -> ScalarSet {
        let open = index
        index += 1
        var set = ScalarSet(ranges: [], negated: false)
        if index < scalars.count && scalars[index] == "^" { set.negated = true; index += 1 }
        var first = true
        while true {
            guard index < scalars.count else { throw RegexError(offset: open, message: "missing ']' for the '[' here") }
            let scalar = scalars[index]
            if scalar == "]" && !first { index += 1; break }
            first = false
            var low: UInt32
            if scalar == "\\" {
                let escaped = try parseEscape(inClass: true)
                if let inner = escaped.set {
                    guard !inner.negated else { throw RegexError(offset: index - 2, message: "negated classes inside [] are not supported") }
                    set.ranges += inner.ranges
                    continue
                }
                guard case .scalar(let value) = escaped.node else { continue }
                low = value.value
            } else {
                low = scalar.value
                index += 1
            }
            if index + 1 < scalars.count && scalars[index] == "-" && scalars[index + 1] != "]" {
                index += 1
                var high: UInt32
                if scalars[index] == "\\" {
                    guard case .scalar(let value) = try parseEscape(inClass: true).node else { throw RegexError(offset: index, message: "bad range end in class") }
                    high = value.value
                } else {
                    high = scalars[index].value
                    index += 1
                }
                guard low <= high else { throw RegexError(offset: index - 1, message: "range out of order in character class") }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        return set
    }
}
