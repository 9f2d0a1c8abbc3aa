import AuditwatchCore

/// libyaml's messages name the parser's state, not the author's mistake. These are the mistakes
/// Sigma authors make most, recognized from the message and the offending line, each with the fix.
enum YAMLSyntaxHint {
    /// `diagnostic` with a hint appended when it is a YAML syntax error we recognize.
    static func annotate(_ diagnostic: Diagnostic, text: String) -> Diagnostic {
        guard diagnostic.message.hasPrefix("YAML syntax error"), let location = diagnostic.location else {
            return diagnostic
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = location.line - 1 < lines.count && location.line >= 1 ? String(lines[location.line - 1]) : ""
        guard let hint = hint(diagnostic.message, line: line) else { return diagnostic }
        var annotated = diagnostic
        annotated.message += "; " + hint
        return annotated
    }

    static func hint(_ message: String, line: String) -> String? {
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        if indentation.contains("\t") || message.contains("tab character") {
            return "YAML indentation must be spaces, and this line is indented with a tab"
        }
        if message.contains("while scanning an alias") || message.contains("while scanning an anchor") {
            let marker = message.contains("alias") ? "*" : "&"
            let value = line.split(separator: ":", maxSplits: 1).last.map { String($0).trimmedSpaces } ?? ""
            let example = value.hasPrefix(marker) ? value : marker + "…"
            return "a value starting with '\(marker)' must be quoted in YAML: '\(example)'"
        }
        if message.contains("mapping values are not allowed") {
            return "a 'key: value' where YAML expects a plain value: quote a value that contains ': ', "
                + "or check that this line is indented under the right key"
        }
        if message.contains("did not find expected key") || message.contains("did not find expected '-' indicator") {
            return "this line's indentation does not line up with the lines before it; "
                + "keys of one mapping (and items of one list) start in the same column"
        }
        if message.contains("could not find expected ':'") {
            return "a key without ':' (or a value continued on the next line less indented than its key)"
        }
        return nil
    }
}

private extension String {
    var trimmedSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
