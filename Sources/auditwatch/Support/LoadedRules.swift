import ArgumentParser
import AuditwatchCore
import AuditwatchYAML

/// Loads rules for a command and prints what the load found; fails closed on any error.
enum LoadedRules {
    /// The rule set of `paths`. Prints diagnostics to stderr (warnings and notes too unless `quiet`).
    static func load(_ paths: [String], format: ReportFormat = .text, quiet: Bool = false) throws -> (ruleSet: RuleSet, result: RuleLoader.Result) {
        let result = RuleLoader().load(paths)
        let shown = result.diagnostics.sortedByLocation().filter { !quiet || $0.severity == .error }
        let renderer = DiagnosticRenderer(sources: result.sources)
        if !shown.isEmpty {
            StandardError.line(format == .json ? renderer.json(shown) : renderer.text(shown))
        }
        guard let ruleSet = result.ruleSet else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            StandardError.line("auditwatch: \(errors) error\(errors == 1 ? "" : "s") in the rules; nothing was run")
            throw ExitCode(2)
        }
        return (ruleSet, result)
    }
}
