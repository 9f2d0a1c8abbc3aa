import ArgumentParser

/// How a command prints its results.
enum AlertOutput: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
}

/// How a command prints diagnostics and listings.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

import AuditwatchService
extension ServiceLog.Format: ExpressibleByArgument {}
extension ServiceLog.Level: ExpressibleByArgument {}
