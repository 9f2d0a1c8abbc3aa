import ArgumentParser
import AuditwatchCore

/// `auditwatch rules validate`: load rules and report every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check rule files and report every problem with its file, line and column.",
        discussion: "Exit status: 0 when every rule loads, 2 when any has an error."
    )

    @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
    var paths: [String] = ["rules"]

    @Option(
        name: .long,
        help: "Diagnostics as text, as JSON (for editors), or as GitHub workflow commands (annotations).")
    var format: CheckFormat = .text

    @Flag(name: .long, help: "Treat warnings (undocumented types and fields, unused selections) as errors.")
    var strict = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Values of the rules' expand placeholders (placeholders: {name: [values]}).", valueName: "file"))
    var placeholders: String?

    func run() throws {
        let tuning = try LoadedRules.tuning(placeholders: placeholders)
        let (ruleSet, result) = try LoadedRules.load(
            paths, format: format == .json ? .json : .text, strict: strict,
            annotate: format == .github, tuning: tuning)
        if format != .json {
            let warnings = result.diagnostics.filter { $0.severity == .warning }.count
            let correlations = result.correlations.count
            StandardError.line(
                "auditwatch: \(ruleSet.rules.count) rule\(ruleSet.rules.count == 1 ? "" : "s") and \(correlations) correlation\(correlations == 1 ? "" : "s") in \(result.files.count) file\(result.files.count == 1 ? "" : "s") OK, \(warnings) warning\(warnings == 1 ? "" : "s")"
            )
        }
    }
}
