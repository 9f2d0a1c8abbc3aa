/// Renders diagnostics the way compilers do, or as JSON for editors and CI annotations.
public struct DiagnosticRenderer: Sendable {
    public var sources: SourceFiles

    /// The most characters of a source line quoted under a text diagnostic.
    public static let maxQuotedWidth = 100

    public init(sources: SourceFiles) { self.sources = sources }

    /// `path:line:column: error: message [rule id]`, then the source line and a caret.
    public func text(_ diagnostic: Diagnostic) -> String {
        var output = ""
        if let location = diagnostic.location { output += "\(location): " }
        output += "\(diagnostic.severity.rawValue): \(diagnostic.message)"
        if let rule = diagnostic.ruleID { output += " [\(rule)]" }
        if diagnostic.hidesSource {
            output += "\n    (the line is not shown: it holds a credential)"
        } else if let location = diagnostic.location, let line = sources.line(location.line, of: location.file) {
            let expanded = Array(line.replacingTabs())
            // Columns count characters of the original line; tabs were widened to one space.
            var caret = max(0, min(location.column - 1, expanded.count))
            var shown = String(expanded)
            if expanded.count > Self.maxQuotedWidth {
                // A very long line (a 40,000-character condition) is quoted around the caret.
                let start = max(0, min(caret - Self.maxQuotedWidth / 2, expanded.count - Self.maxQuotedWidth))
                let end = min(expanded.count, start + Self.maxQuotedWidth)
                shown = (start > 0 ? "…" : "") + String(expanded[start..<end]) + (end < expanded.count ? "…" : "")
                caret = caret - start + (start > 0 ? 1 : 0)
            }
            output += "\n    " + shown + "\n    " + String(repeating: " ", count: caret) + "^"
        }
        return output
    }

    /// All diagnostics as text, one block each.
    public func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { text($0) }.joined(separator: "\n")
    }

    /// One JSON object: `severity`, `file`, `line`, `column`, `rule`, `message`, `source`.
    public func json(_ diagnostic: Diagnostic) -> String {
        var fields: [(String, String)] = [("severity", JSONWriter.quoted(diagnostic.severity.rawValue))]
        if let location = diagnostic.location {
            fields.append(("file", JSONWriter.quoted(location.file)))
            fields.append(("line", String(location.line)))
            fields.append(("column", String(location.column)))
            if !diagnostic.hidesSource, let line = sources.line(location.line, of: location.file) {
                fields.append(("source", JSONWriter.quoted(String(line))))
            }
        }
        if let rule = diagnostic.ruleID { fields.append(("rule", JSONWriter.quoted(rule))) }
        fields.append(("message", JSONWriter.quoted(diagnostic.message)))
        return "{" + fields.map { "\(JSONWriter.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A GitHub Actions workflow command (`::error file=…,line=…,col=…::message`), so the finding
    /// shows on the changed line of a pull request. Newlines and `%` are escaped the way the
    /// runner expects, so no text (a rule title, an event value) can start a command of its own.
    public func github(_ diagnostic: Diagnostic) -> String {
        let command =
            switch diagnostic.severity {
            case .error: "error"
            case .warning: "warning"
            case .note: "notice"
            }
        var properties: [String] = []
        if let location = diagnostic.location {
            properties.append("file=" + Self.githubProperty(location.file))
            properties.append("line=\(location.line)")
            properties.append("col=\(location.column)")
        }
        properties.append("title=" + Self.githubProperty("auditwatch" + (diagnostic.ruleID.map { " [\($0)]" } ?? "")))
        return "::\(command) " + properties.joined(separator: ",") + "::" + Self.githubData(diagnostic.message)
    }

    /// Escapes the message of a workflow command.
    public static func githubData(_ text: String) -> String {
        escaped(text, ["%": "%25", "\r": "%0D", "\n": "%0A"])
    }

    /// Escapes a property value of a workflow command (also `:` and `,`).
    public static func githubProperty(_ text: String) -> String {
        escaped(text, ["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }

    private static func escaped(_ text: String, _ table: [Unicode.Scalar: String]) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            if let replacement = table[scalar] { output += replacement } else { output.unicodeScalars.append(scalar) }
        }
        return output
    }

    /// All diagnostics as one JSON array.
    public func json(_ diagnostics: [Diagnostic]) -> String {
        "[" + diagnostics.map { json($0) }.joined(separator: ",\n ") + "]"
    }
}

private extension Substring {
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
