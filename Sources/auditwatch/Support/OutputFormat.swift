import ArgumentParser
import AuditwatchService

/// How a command prints its results.
enum AlertOutput: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
}

/// How a command prints diagnostics and listings.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// How `rules validate` and `rules test` report: for people, for scripts, or as GitHub Actions
/// workflow commands (annotations on the changed lines of a pull request).
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github
}

extension LogFormat: ExpressibleByArgument {}
extension LogThreshold: ExpressibleByArgument {}
