/// Parses Sigma's condition language with Sigma's precedence (loosest first):
/// `or`, `and`, `not`, `1 of` / `all of`, parentheses.
///
/// Nesting is capped at `maxDepth`: the parser, the compiler, `rules explain` and evaluation all
/// recurse over the tree, so a condition of 20,000 parentheses must be an error, not a crash.
struct ConditionParser {
    /// The deepest nesting of parentheses and `not` a condition may have.
    static let maxDepth = 64

    private struct Token {
        enum Kind: Equatable { case word(String), open, close, end }
        var kind: Kind
        var offset: Int
    }

    private let text: String
    private let location: SourceLocation
    private let selectionNames: [String]
    private let ruleID: String?
    private var tokens: [Token] = []
    private var index = 0
    /// Parentheses and `not`s around the current token.
    private var depth = 0
    private(set) var diagnostics: [Diagnostic] = []

    init(_ condition: Located<String>, selectionNames: [String], ruleID: String?) {
        self.text = condition.value
        self.location = condition.location
        self.selectionNames = selectionNames
        self.ruleID = ruleID
        tokenize()
    }

    /// The expression, or nil with diagnostics.
    mutating func parse() -> ConditionExpression? {
        guard !tokens.isEmpty, tokens[0].kind != .end else {
            diagnostics.append(.error("the condition is empty", at: location, ruleID: ruleID))
            return nil
        }
        guard let expression = parseOr() else { return nil }
        if tokens[index].kind != .end {
            error("unexpected \(describe(tokens[index])) in the condition", at: tokens[index])
            return nil
        }
        return expression
    }

    private mutating func parseOr() -> ConditionExpression? {
        guard var parts = parseAnd().map({ [$0] }) else { return nil }
        while isKeyword("or") {
            index += 1
            guard let next = parseAnd() else { return nil }
            parts.append(next)
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func parseAnd() -> ConditionExpression? {
        guard var parts = parseNot().map({ [$0] }) else { return nil }
        while isKeyword("and") {
            index += 1
            guard let next = parseNot() else { return nil }
            parts.append(next)
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func parseNot() -> ConditionExpression? {
        if isKeyword("not") {
            guard enter(tokens[index]) else { return nil }
            index += 1
            defer { depth -= 1 }
            return parseNot().map { .not($0) }
        }
        return parsePrimary()
    }

    private mutating func parsePrimary() -> ConditionExpression? {
        let token = tokens[index]
        switch token.kind {
        case .open:
            guard enter(token) else { return nil }
            defer { depth -= 1 }
            index += 1
            guard let inner = parseOr() else { return nil }
            guard tokens[index].kind == .close else {
                error(
                    "expected ')' to close the '(' at column \(location.column + token.offset), found \(describe(tokens[index]))",
                    at: tokens[index])
                return nil
            }
            index += 1
            return inner
        case .close:
            error("unexpected ')' in the condition", at: token)
            return nil
        case .end:
            error("the condition ends where a selection name was expected", at: token)
            return nil
        case .word(let word):
            if ["and", "or"].contains(word) {
                error("'\(word)' needs a selection before it", at: token)
                return nil
            }
            if case .word("of")? = peek(1)?.kind {
                return parseQuantifier(word, token)
            }
            index += 1
            guard let selection = selectionNames.firstIndex(of: word) else {
                error(
                    "unknown selection '\(word)' in the condition\(Suggestions.didYouMean(word, in: selectionNames))",
                    at: token)
                return nil
            }
            return .selection(selection)
        }
    }

    private mutating func parseQuantifier(_ quantity: String, _ token: Token) -> ConditionExpression? {
        guard quantity == "1" || quantity == "all" else {
            error("'\(quantity) of' is not Sigma; write '1 of' or 'all of'", at: token)
            return nil
        }
        index += 2
        guard case .word(let pattern) = tokens[index].kind else {
            error("'\(quantity) of' needs a selection pattern or 'them'", at: tokens[index])
            return nil
        }
        let patternToken = tokens[index]
        index += 1
        let matched: [Int]
        if pattern == "them" {
            matched = selectionNames.indices.filter { !selectionNames[$0].hasPrefix("_") }
        } else {
            let glob = Glob(stars: pattern)
            matched = selectionNames.indices.filter { glob.matches(selectionNames[$0]) }
        }
        guard !matched.isEmpty else {
            error(
                "'\(pattern)' matches no selection\(Suggestions.didYouMean(pattern, in: selectionNames))",
                at: patternToken)
            return nil
        }
        return quantity == "1" ? .anyOf(matched) : .allOf(matched)
    }

    /// One level deeper, or an error at `token` when that passes the limit.
    private mutating func enter(_ token: Token) -> Bool {
        guard depth < Self.maxDepth else {
            error("the condition nests parentheses and 'not' deeper than \(Self.maxDepth) levels", at: token)
            return false
        }
        depth += 1
        return true
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .word(word) = tokens[index].kind { return true }
        return false
    }

    private func peek(_ offset: Int) -> Token? {
        index + offset < tokens.count ? tokens[index + offset] : nil
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .word(let word): return "'\(word)'"
        case .open: return "'('"
        case .close: return "')'"
        case .end: return "end of condition"
        }
    }

    private mutating func error(_ message: String, at token: Token) {
        var at = location
        at.column += token.offset
        diagnostics.append(.error(message, at: at, ruleID: ruleID))
    }

    private mutating func tokenize() {
        var offset = 0
        var word = ""
        var wordStart = 0
        func flush() {
            if !word.isEmpty { tokens.append(Token(kind: .word(word), offset: wordStart)) }
            word = ""
        }
        for character in text {
            switch character {
            case "(":
                flush()
                tokens.append(Token(kind: .open, offset: offset))
            case ")":
                flush()
                tokens.append(Token(kind: .close, offset: offset))
            case " ", "\t", "\n", "\r":
                flush()
            default:
                if word.isEmpty { wordStart = offset }
                word.append(character)
            }
            offset += 1
        }
        flush()
        tokens.append(Token(kind: .end, offset: offset))
    }
}
