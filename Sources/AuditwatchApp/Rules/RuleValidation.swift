import AuditwatchCore
import AuditwatchService
import AuditwatchYAML

/// `auditwatch rules validate`: every problem of the rules, then one line of totals.
public struct RuleValidation {
    public var paths: [String]
    public var format: CheckFormat = .text
    public var strict = false
    public var placeholders: String?
    public var sink: DiagnosticSink = .standardError

    public init(paths: [String]) { self.paths = paths }

    public func run(out: any LineOutput) throws(AppError) {
        let tuning = try LoadedRules.tuning(placeholders: placeholders, sink: sink)
        let (ruleSet, result) = try LoadedRules.load(
            paths, format: format == .json ? .json : .text, strict: strict,
            annotate: format == .github, tuning: tuning, sink: sink, out: out)
        guard format != .json else { return }
        let warnings = result.diagnostics.filter { $0.severity == .warning }.count
        let correlations = result.correlations.count
        sink.note(
            .info,
            "auditwatch: \(ruleSet.rules.count) rule\(ruleSet.rules.count == 1 ? "" : "s") and \(correlations) correlation\(correlations == 1 ? "" : "s") in \(result.files.count) file\(result.files.count == 1 ? "" : "s") OK, \(warnings) warning\(warnings == 1 ? "" : "s")"
        )
    }
}
