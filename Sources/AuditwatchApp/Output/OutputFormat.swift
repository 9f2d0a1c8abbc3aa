/// How a command prints its results.
public enum AlertOutput: String, CaseIterable, Sendable {
    case text, jsonl
}

/// How a command prints diagnostics and listings.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json
}

/// How `rules validate` and `rules test` report: for people, for scripts, or as GitHub Actions
/// workflow commands (annotations on the changed lines of a pull request).
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json, github
}

/// How `rules diff` reports: text, or Markdown for a pull-request comment.
public enum DiffFormat: String, CaseIterable, Sendable {
    case text, markdown
}
