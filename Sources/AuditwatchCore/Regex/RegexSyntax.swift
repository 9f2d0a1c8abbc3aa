/// The parsed form of a rule regular expression. Flags (`i`, `m`, `s`, inline or from the
/// modifiers) are resolved while parsing: a case-insensitive literal is already the set of its
/// case variants, `.` already knows whether it takes `\n`, `^`/`$` whether they see lines.
indirect enum RegexNode: Sendable, Equatable {
    case empty
    /// One scalar from the set (a literal is a one-member set).
    case set(ScalarSet)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)  // nil: unbounded
}

/// Zero-width tests between two scalars.
enum RegexAssertion: Sendable, Equatable {
    /// `^` (no `m`), `\A`.
    case textStart
    /// `\z`.
    case textEnd
    /// `^` under `m`: at the start or after `\n`.
    case lineStart
    /// `$` under `m`: at the end or before `\n`.
    case lineEnd
    /// `$` without `m`: at the end or before a final `\n` (PCRE and Python).
    case endOrFinalNewline
    case wordBoundary, notWordBoundary
}

/// The inline and modifier flags in force at a point of the pattern.
struct RegexFlags: Sendable, Equatable {
    var ignoreCase = false
    var multiline = false
    var dotAll = false
}

/// A regular expression that cannot be compiled, with the offset (in Unicode scalars from the
/// start of the pattern) of the problem.
public struct RegexError: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
}

/// Parses regular expressions as Sigma rules write them (Python/PCRE syntax, see
/// `docs/regex.md`): Sigma's subset, inline flags, `\b \B \A \z`, `\d \w \s` and their negations,
/// `\x41 \x{41} \u0041 \U00000041`, escaped punctuation, non-capturing and named groups, lazy
/// quantifiers. What a linear-time matcher cannot do (backreferences, lookaround, atomic
/// groups, possessive quantifiers, recursion, conditionals) is refused by name.
struct RegexParser {
    /// Longest pattern accepted, in scalars.
    static let maxLength = 8_192
    /// Bound on counted repetition (RE2 uses the same), so a rule cannot blow up the program.
    static let maxRepeat = 1_000
    /// Deepest group nesting: the parser and compiler recurse per level.
    static let maxDepth = 100

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var flags: RegexFlags
    private var depth = 0

    init(_ pattern: String, flags: RegexFlags = RegexFlags()) {
        scalars = Array(pattern.unicodeScalars)
        self.flags = flags
    }

    mutating func parse() throws(RegexError) -> RegexNode {
        guard scalars.count <= RegexParser.maxLength else {
            throw RegexError(
                offset: 0,
                message: "pattern is \(scalars.count) characters long; "
                    + "the limit is \(RegexParser.maxLength)")
        }
        let node = try parseAlternation()
        if index < scalars.count { throw RegexError(offset: index, message: "unmatched ')'") }
        return node
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func parseAlternation() throws(RegexError) -> RegexNode {
        var branches = [try parseConcat()]
        while peek() == "|" {
            index += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let next = peek(), next != "|", next != ")" {
            if try parseFlagGroup() { continue }
            let start = index
            let atom = try parseAtom()
            items.append(try parseQuantifiers(atom, atomStart: start))
        }
        return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .concat(items))
    }

    // MARK: quantifiers

    private mutating func parseQuantifiers(_ atom: RegexNode, atomStart: Int) throws(RegexError) -> RegexNode {
        guard let bounds = try parseQuantifier() else { return atom }
        let start = bounds.start
        // A bare assertion cannot repeat (Python and PCRE agree); a group holding one can.
        if case .assertion = atom, scalars[atomStart] != "(" {
            throw RegexError(offset: start, message: "nothing to repeat before '\(scalars[start])'")
        }
        if peek() == "?" {
            index += 1  // lazy: the same language, so the same match/no-match
        } else if peek() == "+" {
            throw RegexError(
                offset: index,
                message: "possessive quantifiers ('\(scalars[start])+') "
                    + "cannot be matched in linear time and are not supported")
        }
        if let again = try parseQuantifier() {
            throw RegexError(
                offset: again.start,
                message: "multiple repeat '\(scalars[again.start])'; "
                    + "put the inner repetition in a group: (?:…)")
        }
        return .repeated(atom, min: bounds.min, max: bounds.max)
    }

    private mutating func parseQuantifier() throws(RegexError) -> (start: Int, min: Int, max: Int?)? {
        let start = index
        switch peek() {
        case "*": index += 1; return (start, 0, nil)
        case "+": index += 1; return (start, 1, nil)
        case "?": index += 1; return (start, 0, 1)
        case "{":
            guard let (low, high) = try parseBraces() else { return nil }
            return (start, low, high)
        default: return nil
        }
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}` (Python: 0 to m); a `{` that starts none of them is a
    /// literal, as in Python and PCRE.
    private mutating func parseBraces() throws(RegexError) -> (Int, Int?)? {
        let start = index
        var cursor = index + 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while cursor < scalars.count, let digit = scalars[cursor].asciiDigit {
                if value <= 10_000_000 { value = value * 10 + digit }
                digits += 1
                cursor += 1
            }
            return digits == 0 ? nil : value
        }
        let low = number()
        var high = low
        if cursor < scalars.count && scalars[cursor] == "," {
            cursor += 1
            high = number()
        } else if low == nil {
            return nil
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        index = cursor + 1
        let minimum = low ?? 0
        if let high, high < minimum {
            throw RegexError(offset: start, message: "repetition {\(minimum),\(high)} has its bounds reversed")
        }
        if minimum > RegexParser.maxRepeat || (high ?? 0) > RegexParser.maxRepeat {
            throw RegexError(offset: start, message: "repetition counts above \(RegexParser.maxRepeat) are not allowed")
        }
        return (minimum, high)
    }

    // MARK: atoms

    private mutating func parseAtom() throws(RegexError) -> RegexNode {
        let scalar = scalars[index]
        switch scalar {
        case "(": return try parseGroup()
        case "*", "+", "?":
            throw RegexError(offset: index, message: "nothing to repeat before '\(scalar)'")
        case "{":
            let start = index
            if try parseBraces() != nil {
                throw RegexError(offset: start, message: "nothing to repeat before '{'")
            }
            index += 1
            return literal(scalar)
        case ".":
            index += 1
            return .set(flags.dotAll ? .all : ScalarSet(scalar: 10).inverted())
        case "^":
            index += 1
            return .assertion(flags.multiline ? .lineStart : .textStart)
        case "$":
            index += 1
            return .assertion(flags.multiline ? .lineEnd : .endOrFinalNewline)
        case "[": return .set(try parseClass())
        case "\\":
            switch try parseEscape(inClass: false) {
            case .set(let set): return .set(set)
            case .scalar(let value): return literal(value)
            case .assertion(let assertion): return .assertion(assertion)
            }
        default:
            index += 1
            return literal(scalar)
        }
    }

    private func literal(_ scalar: Unicode.Scalar) -> RegexNode { literal(scalar.value) }

    private func literal(_ value: UInt32) -> RegexNode {
        guard flags.ignoreCase, let members = UnicodeTables.caseClass(of: value) else {
            return .set(ScalarSet(scalar: value))
        }
        return .set(ScalarSet(members.map { $0...$0 }))
    }

    /// `(?i)`, `(?-s)`, `(?im-s)`: flags to the end of the enclosing group (PCRE, RE2). Python
    /// accepts them only at the very start, where both readings agree.
    private mutating func parseFlagGroup() throws(RegexError) -> Bool {
        guard peek() == "(", peek(1) == "?" else { return false }
        var cursor = index + 2
        while cursor < scalars.count, scalars[cursor] != ")", scalars[cursor] != ":" {
            guard "imsx-aLuU".unicodeScalars.contains(scalars[cursor]) else { return false }
            cursor += 1
        }
        guard cursor < scalars.count, scalars[cursor] == ")", cursor > index + 2 else { return false }
        let open = index
        index += 2
        flags = try parseFlags(until: ")", open: open)
        index += 1
        return true
    }

    /// Reads `ims-ims` up to `terminator` and returns the flags they make of the current ones.
    private mutating func parseFlags(until terminator: Unicode.Scalar, open: Int) throws(RegexError) -> RegexFlags {
        var result = flags
        var turningOn = true
        while let scalar = peek(), scalar != terminator, scalar != ")" {
            switch scalar {
            case "i": result.ignoreCase = turningOn
            case "m": result.multiline = turningOn
            case "s": result.dotAll = turningOn
            case "u": break  // Python's default for text patterns
            case "-":
                guard turningOn else { throw RegexError(offset: index, message: "a second '-' in inline flags") }
                turningOn = false
            case "x":
                throw RegexError(
                    offset: index,
                    message: "the verbose flag (?x) is not supported; remove the spaces and comments")
            default:
                throw RegexError(offset: index, message: "the inline flag '\(scalar)' is not supported; use i, m or s")
            }
            index += 1
        }
        return result
    }

    private mutating func parseGroup() throws(RegexError) -> RegexNode {
        let open = index
        index += 1
        depth += 1
        defer { depth -= 1 }
        guard depth <= RegexParser.maxDepth else {
            throw RegexError(offset: open, message: "groups nest deeper than \(RegexParser.maxDepth) levels")
        }
        let saved = flags
        defer { flags = saved }
        if peek() == "?" {
            try parseGroupExtension(open: open)
        }
        let inner = try parseAlternation()
        guard peek() == ")" else { throw RegexError(offset: open, message: "missing ')' for the '(' here") }
        index += 1
        return inner
    }

    /// After `(?`: what kind of group this is. Returns with `index` at the group's body.
    private mutating func parseGroupExtension(open: Int) throws(RegexError) {
        index += 1
        func refuse(_ what: String) -> RegexError {
            let verb = what.hasSuffix("s") ? "are" : "is"
            return RegexError(
                offset: open,
                message: "\(what) cannot be matched in linear time and \(verb) not supported")
        }
        switch peek() {
        case ":", "|": index += 1
        case "=": throw refuse("lookahead '(?=…)'")
        case "!": throw refuse("negative lookahead '(?!…)'")
        case ">": throw refuse("an atomic group '(?>…)'")
        case "(": throw refuse("a conditional group '(?(…)…)'")
        case "R", "&", "+": throw refuse("recursion '(?R)'")
        case let scalar? where scalar.asciiDigit != nil: throw refuse("recursion '(?R)'")
        case "#":
            // A comment: skipped, the group is empty.
            while peek() != nil && peek() != ")" { index += 1 }
        case "<" where peek(1) == "=": throw refuse("lookbehind '(?<=…)'")
        case "<" where peek(1) == "!": throw refuse("negative lookbehind '(?<!…)'")
        case "P" where peek(1) == "=": throw refuse("a named backreference '(?P=…)'")
        case "P" where peek(1) == ">": throw refuse("recursion '(?P>…)'")
        case "P" where peek(1) == "<", "<", "'":
            // A named group: the name is skipped, the group kept (captures do not matter here).
            let close: Unicode.Scalar = peek() == "'" ? "'" : ">"
            index += peek() == "P" ? 2 : 1
            let nameStart = index
            while let scalar = peek(), scalar == "_" || scalar.properties.isAlphabetic || scalar.asciiDigit != nil {
                index += 1
            }
            guard peek() == close, index > nameStart else {
                throw RegexError(
                    offset: open,
                    message: "bad group name; write (?P<name>…) with letters, digits and '_'")
            }
            index += 1
        case let scalar? where "imsx-aLuU".unicodeScalars.contains(scalar):
            let flagged = try parseFlags(until: ":", open: open)
            guard peek() != nil else { throw RegexError(offset: open, message: "missing ')' for the '(' here") }
            guard peek() == ":" else {
                throw RegexError(offset: open, message: "unknown group construct '(?\(peek().map(String.init) ?? "")'")
            }
            index += 1
            flags = flagged
        default:
            throw RegexError(offset: open, message: "unknown group construct '(?\(peek().map(String.init) ?? "")'")
        }
    }

    // MARK: escapes and classes

    private enum Escape { case scalar(UInt32), set(ScalarSet), assertion(RegexAssertion) }

    private mutating func parseEscape(inClass: Bool) throws(RegexError) -> Escape {
        let start = index
        index += 1
        guard let code = peek() else { throw RegexError(offset: start, message: "trailing backslash") }
        index += 1
        if inClass && "BAzZGK".unicodeScalars.contains(code) {
            throw RegexError(offset: start, message: "'\\\(code)' is an assertion and cannot appear inside [...]")
        }
        switch code {
        case "d": return .set(UnicodeTables.digit)
        case "D": return .set(UnicodeTables.digit.inverted())
        case "w": return .set(UnicodeTables.word)
        case "W": return .set(UnicodeTables.word.inverted())
        case "s": return .set(UnicodeTables.space)
        case "S": return .set(UnicodeTables.space.inverted())
        case "n": return .scalar(10)
        case "t": return .scalar(9)
        case "r": return .scalar(13)
        case "f": return .scalar(12)
        case "v": return .scalar(11)
        case "a": return .scalar(7)
        case "e": return .scalar(27)
        case "0":
            var value: UInt32 = 0
            for _ in 0..<2 {
                guard let digit = peek()?.asciiDigit, digit < 8 else { break }
                value = value * 8 + UInt32(digit)
                index += 1
            }
            return .scalar(value)
        case "x", "u", "U": return .scalar(try parseHexEscape(code, start: start))
        case "b" where inClass: return .scalar(8)
        case "b": return .assertion(.wordBoundary)
        case "B": return .assertion(.notWordBoundary)
        case "A": return .assertion(.textStart)
        case "z": return .assertion(.textEnd)
        case "Z":
            throw RegexError(
                offset: start,
                message: "'\\Z' means the very end in Python but also before a final "
                    + "newline in PCRE; write '\\z' (the very end) or '$' (the end or before a final newline)")
        case "G", "K":
            throw RegexError(offset: start, message: "'\\\(code)' is not supported")
        case "1"..."9", "g", "k":
            throw RegexError(
                offset: start,
                message: "backreferences ('\\\(code)') cannot be matched in linear time "
                    + "and are not supported")
        case "p", "P":
            throw RegexError(
                offset: start,
                message: "Unicode property classes ('\\\(code){…}') are not supported; "
                    + "write the ranges, e.g. [\\u0400-\\u04FF]")
        case "N":
            throw RegexError(
                offset: start,
                message: "named characters ('\\N{…}') are not supported; write '\\u' and the code")
        default:
            if code.isASCII && (code.properties.isAlphabetic || code.asciiDigit != nil) {
                throw RegexError(offset: start, message: "unknown escape '\\\(code)'")
            }
            return .scalar(code.value)
        }
    }

    /// `\xHH`, `\x{H…}`, `\uHHHH`, `\UHHHHHHHH`.
    private mutating func parseHexEscape(_ code: Unicode.Scalar, start: Int) throws(RegexError) -> UInt32 {
        let braced = code == "x" && peek() == "{"
        if braced { index += 1 }
        let wanted = braced ? 8 : (code == "x" ? 2 : (code == "u" ? 4 : 8))
        var value: UInt32 = 0
        var digits = 0
        while digits < wanted, let scalar = peek(), let digit = hexValue(scalar) {
            value = value * 16 + digit
            digits += 1
            index += 1
        }
        if braced {
            guard digits > 0, peek() == "}" else {
                throw RegexError(offset: start, message: "bad escape '\\x{…}': hex digits and '}' expected")
            }
            index += 1
        } else if digits < wanted {
            throw RegexError(offset: start, message: "bad escape '\\\(code)': \(wanted) hex digits expected")
        }
        guard value <= ScalarSet.maxScalar else {
            throw RegexError(offset: start, message: "escape '\\\(code)' is above U+10FFFF")
        }
        return value
    }

    private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 48...57: return scalar.value - 48
        case 65...70: return scalar.value - 55
        case 97...102: return scalar.value - 87
        default: return nil
        }
    }

    private mutating func parseClass() throws(RegexError) -> ScalarSet {
        let open = index
        index += 1
        var negated = false
        if peek() == "^" { negated = true; index += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let scalar = peek() else { throw RegexError(offset: open, message: "missing ']' for the '[' here") }
            if scalar == "]" && !first { index += 1; break }
            first = false
            if scalar == "[", peek(1) == ":" || peek(1) == "=" || peek(1) == "." {
                var cursor = index + 2
                while cursor < scalars.count, scalars[cursor].properties.isAlphabetic { cursor += 1 }
                if cursor + 1 < scalars.count, scalars[cursor] == scalars[index + 1], scalars[cursor + 1] == "]" {
                    throw RegexError(
                        offset: index,
                        message: "POSIX classes like '[:alpha:]' are literal text in Python "
                            + "and classes in PCRE, so they are refused; write the characters, e.g. [a-zA-Z]")
                }
            }
            let itemStart = index
            let low: UInt32
            switch try classItem() {
            case .set(let set):
                if peek() == "-", peek(1) != "]", peek(1) != nil {
                    throw RegexError(
                        offset: itemStart,
                        message: "bad character range: a class like '\\d' cannot start a range")
                }
                ranges += set.ranges
                continue
            case .scalar(let value): low = value
            case .assertion: continue
            }
            guard peek() == "-", let after = peek(1), after != "]" else {
                ranges.append(low...low)
                continue
            }
            index += 1
            guard case .scalar(let high) = try classItem() else {
                throw RegexError(
                    offset: itemStart,
                    message: "bad character range: a class like '\\d' cannot end a range")
            }
            guard low <= high else {
                throw RegexError(offset: itemStart, message: "range out of order in character class")
            }
            ranges.append(low...high)
        }
        var set = ScalarSet(ranges)
        if flags.ignoreCase { set = set.caseClosed() }
        return negated ? set.inverted() : set
    }

    private mutating func classItem() throws(RegexError) -> Escape {
        let scalar = scalars[index]
        if scalar == "\\" { return try parseEscape(inClass: true) }
        index += 1
        return .scalar(scalar.value)
    }
}

private extension Unicode.Scalar {
    /// 0…9 for an ASCII digit.
    var asciiDigit: Int? { value >= 48 && value <= 57 ? Int(value - 48) : nil }
}
