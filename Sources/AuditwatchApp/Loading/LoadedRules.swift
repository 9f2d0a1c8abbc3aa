public import AuditwatchConfig
public import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
public import AuditwatchYAML
import AuditwatchZones

/// Loads rules for a command and says what the load found; fails closed on any error.
public enum LoadedRules {
    /// How many warnings a command that is not `rules validate` shows in full.
    public static let warningsShown = 5

    /// The rule set of `paths`. The findings go to `sink` (or, on errors, into the thrown
    /// `AppError.diagnostics`, in the same order): all of them, or, when `quiet`, the errors and a
    /// summary of the warnings (their count and the first few), so no command runs rules that have
    /// warnings without saying so; `silent` leaves the warnings out (a second load of the same
    /// rules). `strict` turns every warning into an error (schema lint, unused selections, filters
    /// without `not`, a missing `logsource`). `format: .json` writes the findings to `out` as one
    /// array instead; `annotate` also writes each shown finding to `out` as a GitHub workflow
    /// command. `refusal` says what became of the command on errors (a reload keeps the running rules).
    public static func load(
        _ paths: [String], format: ReportFormat = .text, quiet: Bool = false, silent: Bool = false,
        strict: Bool = false, annotate: Bool = false,
        tuning: RuleTuning = RuleTuning(), sink: DiagnosticSink = .standardError, refusal: String = "nothing was run",
        out: any LineOutput = LineWriter(descriptor: 1)
    ) throws(AppError) -> (ruleSet: RuleSet, result: RuleLoader.Loaded) {
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
        var findings = Findings(sources: result.sources)
        if format == .json {
            // Machine-readable findings go to stdout, always as one array (empty when clean).
            out.line(renderer.json(shown))
            out.flush()
        } else {
            findings.append(shown)
        }
        if annotate && !shown.isEmpty {
            shown.forEach { out.line(renderer.github($0)) }
            out.flush()
        }
        if quiet && !silent && format == .text {
            let warnings = result.diagnostics.sortedByLocation().filter { $0.severity == .warning }
            if !warnings.isEmpty {
                let count = "\(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
                let first =
                    warnings.count > warningsShown
                    ? " (the first \(warningsShown); `auditwatch rules validate` lists them all)" : ""
                findings.append(note: .warning, "auditwatch: the rules have \(count)\(first):")
                findings.append(Array(warnings.prefix(warningsShown)))
            }
        }
        guard let ruleSet = result.ruleSet else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            if format == .text {
                findings.append(
                    note: .error, "auditwatch: \(errors) error\(errors == 1 ? "" : "s") in the rules; \(refusal)")
            }
            throw .diagnostics(findings)
        }
        sink.emit(findings)
        return (ruleSet, result)
    }

    /// The tuning of a command: the config's (when given), then `--placeholders FILE` on top.
    /// A placeholders file with errors stops the command (exit 2).
    public static func tuning(
        placeholders file: String?, config: ServiceConfig? = nil, sink: DiagnosticSink = .standardError
    ) throws(AppError) -> RuleTuning {
        var tuning = config?.tuning ?? RuleTuning()
        guard let file else { return tuning }
        let loaded = PlaceholderFile.load(file)
        let findings = Findings(diagnostics: loaded.diagnostics.sortedByLocation(), sources: loaded.sources)
        if loaded.diagnostics.hasErrors { throw .diagnostics(findings) }
        sink.emit(findings)
        tuning.placeholders.merge(loaded.placeholders) { _, new in new }
        return tuning
    }
}
