public import AuditwatchCore
public import AuditwatchRuleTests
import AuditwatchService
public import AuditwatchYAML
import Foundation

/// `auditwatch rules test`: the tests kept next to the rules, run and reported as text, JSON or
/// text with GitHub annotations, and as JUnit XML beside. A failed test, no test at all, or
/// incomplete coverage under `requireCoverage` is an `AppError.verdict` (exit 1).
public struct RuleTestRun {
    public var paths: [String]
    public var filter: String?
    public var junit: String?
    public var format: CheckFormat = .text
    public var placeholders: String?
    public var coverage = false
    public var requireCoverage = false
    public var hostname = ProcessInfo.processInfo.hostName
    public var sink: DiagnosticSink = .standardError

    public init(paths: [String]) { self.paths = paths }

    /// The usual layout when no path is given: `rules/` (with `rules/tests/`) and `tests/`.
    public static func defaultPaths() -> [String] {
        let found = ["rules", "tests"].filter { FileManager.default.fileExists(atPath: $0) }
        return found.isEmpty ? ["rules"] : found
    }

    public func run(out: any LineOutput) throws(AppError) {
        // JUnit's timestamp: when the run started, in UTC, without a zone (as Ant writes it).
        let started = String(UTCTime.iso8601(Int64(Date().timeIntervalSince1970)).dropLast())
        let outcome = try results(out: out)
        let showCoverage = coverage || requireCoverage
        switch format {
        case .text, .github: TextTestReport.lines(outcome, coverage: showCoverage).forEach(out.line)
        case .json: out.line(JSONTestReport.line(outcome, coverage: showCoverage))
        }
        if format == .github {
            GitHubTestReport.lines(outcome, coverage: requireCoverage).forEach(out.line)
        }
        out.flush()
        if outcome.results.isEmpty && outcome.fileErrors.isEmpty {
            let filtered = filter.map { " match --filter '\($0)'" } ?? " found"
            sink.note(
                .warning,
                "auditwatch: no tests\(filtered) in \(paths.joined(separator: ", ")): nothing was tested (tests are `tests:` lists in rule or test files)"
            )
        }
        if let junit {
            let xml = JUnitReport.xml(
                outcome.results, renderer: outcome.renderer, fileErrors: outcome.fileErrors, timestamp: started,
                hostname: hostname)
            try FileOutput.write(xml, to: junit)
        }
        if outcome.failed > 0 || outcome.results.isEmpty || (requireCoverage && !outcome.coverage.isComplete) {
            throw .verdict
        }
    }

    /// Loads the rules and tests, runs the tests that pass the filter.
    public func results(out: any LineOutput = LineWriter(descriptor: 1)) throws(AppError) -> RuleTestOutcome {
        let tuning = try LoadedRules.tuning(placeholders: placeholders, sink: sink)
        let (_, loaded) = try LoadedRules.load(
            paths, quiet: true, annotate: format == .github, tuning: tuning, sink: sink, out: out)
        var cases: [(test: RuleTestCase, file: String)] = []
        var problems: [Diagnostic] = []
        for entry in loaded.tests {
            let decoded = RuleTestDecoder.decode(entry.list, defaultScope: entry.rule)
            problems += decoded.diagnostics
            cases += decoded.tests.map { ($0, entry.file) }
        }
        if let filter {
            cases = cases.filter { RuleTestRun.matches($0.test.name, filter) }
        }
        var runner = RuleTestRunner(rulePaths: paths, loaded: loaded)
        runner.tuning = tuning
        let results = cases.map { runner.run($0.test, file: $0.file) }
        let ruleIDs =
            loaded.rules.filter(\.rule.enabled).map(\.rule.id)
            + loaded.correlations.filter(\.rule.enabled).map(\.rule.id)
        // A `tests:` list that cannot be read counts as a failure and is reported where it is.
        return RuleTestOutcome(
            loaded: loaded, results: results, fileErrors: problems.filter { $0.severity == .error },
            coverage: Coverage(ruleIDs: ruleIDs, results: results))
    }

    /// A test name against `--filter`: contained (case-insensitively), or matched with `*` wildcards.
    public static func matches(_ name: String, _ pattern: String) -> Bool {
        guard pattern.contains("*") else { return name.lowercased().contains(pattern.lowercased()) }
        return Glob(stars: pattern.lowercased()).matches(name.lowercased())
    }
}

/// What a test run found, for the reports.
public struct RuleTestOutcome {
    public var loaded: RuleLoader.Loaded
    public var results: [RuleTestResult]
    /// Mistakes in `tests:` lists that could not be read at all.
    public var fileErrors: [Diagnostic]
    public var coverage: Coverage

    public var renderer: DiagnosticRenderer { DiagnosticRenderer(sources: loaded.sources) }
    /// Tests are counted, not diagnostics: a test with three mistakes is one failed test; a
    /// `tests:` list that cannot be read at all counts as one.
    public var failed: Int { results.filter { !$0.passed }.count + fileErrors.count }
    public var passed: Int { results.filter(\.passed).count }
}
