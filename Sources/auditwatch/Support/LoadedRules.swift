import ArgumentParser
import AuditwatchConfig
import AuditwatchCore
import AuditwatchNotify
import AuditwatchYAML
import AuditwatchZones

/// Loads rules for a command and prints what the load found; fails closed on any error.
enum LoadedRules {
    /// How many warnings a command that is not `rules validate` shows in full.
    static let warningsShown = 5

    /// The rule set of `paths`. Prints diagnostics to stderr: all of them, or, when `quiet`, the
    /// errors and a summary of the warnings (their count and the first few), so no command runs
    /// rules that have warnings without saying so; `silent` leaves the warnings out (a second
    /// load of the same rules). `strict` turns every warning into an error (schema lint, unused
    /// selections, filters without `not`, a missing `logsource`). `annotate` also prints each
    /// shown finding to stdout as a GitHub workflow command. `sink` takes the text findings (the
    /// service's log); `refusal` says what became of the command on errors (a reload keeps the running rules).
    static func load(
        _ paths: [String], format: ReportFormat = .text, quiet: Bool = false, silent: Bool = false,
        strict: Bool = false, annotate: Bool = false,
        tuning: RuleTuning = RuleTuning(), sink: DiagnosticSink = .standardError, refusal: String = "nothing was run"
    ) throws -> (ruleSet: RuleSet, result: RuleLoader.Loaded) {
        var loader = RuleLoader(zones: ZoneDatabase())
        loader.tuning = tuning
        var result = loader.load(paths)
        if strict {
            result.diagnostics = result.diagnostics.map { diagnostic in
                var escalated = diagnostic
                if escalated.severity == .warning { escalated.severity = .error }
                return escalated
            }
        }
        let shown = result.diagnostics.sortedByLocation().filter { !quiet || $0.severity == .error }
        let renderer = DiagnosticRenderer(sources: result.sources)
        if format == .json {
            // Machine-readable findings go to stdout, always as one array (empty when clean).
            let stdout = LineWriter(descriptor: 1)
            stdout.line(renderer.json(shown))
            stdout.flush()
        } else if !shown.isEmpty {
            sink.report(shown, result.sources)
        }
        if annotate && !shown.isEmpty {
            let stdout = LineWriter(descriptor: 1)
            shown.forEach { stdout.line(renderer.github($0)) }
            stdout.flush()
        }
        if quiet && !silent && format == .text {
            let warnings = result.diagnostics.sortedByLocation().filter { $0.severity == .warning }
            if !warnings.isEmpty {
                let count = "\(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
                let first =
                    warnings.count > warningsShown
                    ? " (the first \(warningsShown); `auditwatch rules validate` lists them all)" : ""
                sink.note(.warning, "auditwatch: the rules have \(count)\(first):")
                sink.report(Array(warnings.prefix(warningsShown)), result.sources)
            }
        }
        guard let ruleSet = result.ruleSet else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            if format == .text {
                sink.note(.error, "auditwatch: \(errors) error\(errors == 1 ? "" : "s") in the rules; \(refusal)")
            }
            throw ExitCode(2)
        }
        return (ruleSet, result)
    }

    /// The tuning of a command: the config's (when given), then `--placeholders FILE` on top.
    /// A placeholders file with errors stops the command (exit 2).
    static func tuning(
        placeholders file: String?, config: ServiceConfig? = nil, sink: DiagnosticSink = .standardError
    ) throws -> RuleTuning {
        var tuning = config?.tuning ?? RuleTuning()
        guard let file else { return tuning }
        let loaded = PlaceholderFile.load(file)
        if !loaded.diagnostics.isEmpty {
            sink.report(loaded.diagnostics.sortedByLocation(), loaded.sources)
        }
        if loaded.diagnostics.hasErrors { throw ExitCode(2) }
        tuning.placeholders.merge(loaded.placeholders) { _, new in new }
        return tuning
    }
}
