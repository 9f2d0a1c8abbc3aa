import ArgumentParser
import AuditwatchCore
import AuditwatchRuleTests
import Foundation

/// `auditwatch rules test`: run the tests kept next to the rules.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule tests: events in, the alerts expected out.",
        discussion: """
            Tests are `tests:` lists in test files (e.g. rules/tests/*.yml or tests/*.yml) or inline \
            in rule files. Without a path, `rules` and `tests` are read (those that exist). \
            Exit status: 0 all passed, 1 a test failed or no test ran (or coverage is incomplete \
            under --require-coverage), 2 the rules have errors.
            """
    )

    @Argument(help: ArgumentHelp("Rule and test files or directories (default: rules and tests).", valueName: "path"))
    var paths: [String] = []

    /// The usual layout when no path is given: `rules/` (with `rules/tests/`) and `tests/`.
    static func defaultPaths() -> [String] {
        let found = ["rules", "tests"].filter { FileManager.default.fileExists(atPath: $0) }
        return found.isEmpty ? ["rules"] : found
    }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only tests whose name contains this text (or matches it, with * wildcards).", valueName: "pattern"))
    var filter: String?

    @Option(name: .long, help: ArgumentHelp("Also write JUnit XML here, for CI systems.", valueName: "file"))
    var junit: String?

    @Option(
        name: .long,
        help: "Results as text, JSON, or text plus GitHub workflow commands (annotations on the failing tests).")
    var format: CheckFormat = .text

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Values of the rules' expand placeholders, as the team's runs use them (tests may pin their own).",
            valueName: "file"))
    var placeholders: String?

    @Flag(name: .long, help: "List rules no test makes fire and rules no test proves silent.")
    var coverage = false

    @Flag(name: .long, help: "Fail unless every rule is made to fire and proven silent by some test.")
    var requireCoverage = false

    func run() throws {
        // JUnit's timestamp: when the run started, in UTC, without a zone (as Ant writes it).
        let started = String(UTCTime.iso8601(Int64(Date().timeIntervalSince1970)).dropLast())
        let paths = self.paths.isEmpty ? Self.defaultPaths() : self.paths
        let tuning = try LoadedRules.tuning(placeholders: placeholders)
        let (_, loaded) = try LoadedRules.load(paths, quiet: true, annotate: format == .github, tuning: tuning)
        var cases: [(test: RuleTestCase, file: String)] = []
        var problems: [Diagnostic] = []
        for entry in loaded.tests {
            let decoded = RuleTestDecoder.decode(entry.list, defaultScope: entry.rule)
            problems += decoded.diagnostics
            cases += decoded.tests.map { ($0, entry.file) }
        }
        if let filter {
            cases = cases.filter { matches($0.test.name, filter) }
        }
        let renderer = DiagnosticRenderer(sources: loaded.sources)
        var runner = RuleTestRunner(rulePaths: paths, loaded: loaded)
        runner.tuning = tuning
        let results = cases.map { runner.run($0.test, file: $0.file) }
        // A `tests:` list that cannot be read counts as a failure and is reported where it is.
        let fileErrors = problems.filter { $0.severity == .error }
        let stdout = LineWriter(descriptor: 1)
        let ruleIDs =
            loaded.rules.filter(\.rule.enabled).map(\.rule.id)
            + loaded.correlations.filter(\.rule.enabled).map(\.rule.id)
        let report = Coverage(ruleIDs: ruleIDs, results: results)
        switch format {
        case .text, .github:
            for problem in fileErrors { stdout.line("FAIL  " + renderer.text(problem)) }
            for result in results {
                stdout.line(
                    "\(result.passed ? "PASS" : "FAIL")  \(result.test.name)  (\(result.file):\(result.test.location.line))"
                )
                for problem in result.problems { stdout.line(indent(renderer.text(problem))) }
                for failure in result.failures { stdout.line(indent(failure)) }
            }
            if coverage || requireCoverage {
                stdout.line(
                    "coverage: \(report.neverFired.count) rule(s) no test makes fire\(report.neverFired.isEmpty ? "" : ": " + report.neverFired.joined(separator: ", "))"
                )
                stdout.line(
                    "coverage: \(report.neverProvenSilent.count) rule(s) no test proves silent\(report.neverProvenSilent.isEmpty ? "" : ": " + report.neverProvenSilent.joined(separator: ", "))"
                )
                let gaps = Set(report.neverFired + report.neverProvenSilent)
                for block in RuleOverview.all(loaded).filter({ $0.isBuildingBlock && gaps.contains($0.id) }) {
                    stdout.line(
                        "coverage: \(block.id) is a building block (it alerts only through "
                            + "\(block.buildingBlockOf.joined(separator: ", "))): "
                            + "a test makes it fire when one of its events "
                            + "matches it, and proves it silent with one that does not; name it in the test's rules: "
                            + "next to the correlation, whose alerts the test expects")
                }
            }
        case .json:
            let items = results.map { result in
                "{\"name\":\(JSONWriter.quoted(result.test.name)),\"file\":\(JSONWriter.quoted(result.file)),\"line\":\(result.test.location.line),\"passed\":\(result.passed),\"failures\":[\((result.failures + result.problems.map { renderer.text($0) }).map(JSONWriter.quoted).joined(separator: ","))],\"alerts\":\(result.alerts.count)}"
            }
            var object =
                "{\"tests\":[" + items.joined(separator: ",") + "],\"test_file_errors\":" + renderer.json(fileErrors)
            if coverage || requireCoverage {
                object +=
                    ",\"coverage\":{\"never_fired\":[\(report.neverFired.map(JSONWriter.quoted).joined(separator: ","))],\"never_proven_silent\":[\(report.neverProvenSilent.map(JSONWriter.quoted).joined(separator: ","))]}"
            }
            stdout.line(object + "}")
        }
        // Tests are counted, not diagnostics: a test with three mistakes is one failed test; a
        // `tests:` list that cannot be read at all counts as one.
        let brokenLists = fileErrors.count
        let failed = results.filter { !$0.passed }.count + brokenLists
        let passed = results.filter(\.passed).count
        if format != .json { stdout.line("\(passed) passed, \(failed) failed") }
        if format == .github {
            annotations(results, fileErrors: fileErrors, coverage: requireCoverage ? report : nil, renderer: renderer)
                .forEach(stdout.line)
        }
        stdout.flush()
        if results.isEmpty && brokenLists == 0 {
            let filtered = filter.map { " match --filter '\($0)'" } ?? " found"
            StandardError.line(
                "auditwatch: no tests\(filtered) in \(paths.joined(separator: ", ")): nothing was tested (tests are `tests:` lists in rule or test files)"
            )
        }
        if let junit {
            do {
                let report = JUnitReport.xml(
                    results, renderer: renderer, fileErrors: fileErrors, timestamp: started,
                    hostname: ProcessInfo.processInfo.hostName)
                try report.write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                StandardError.line("auditwatch: cannot write \(junit): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if failed > 0 || results.isEmpty || (requireCoverage && !report.isComplete) { throw ExitCode(1) }
    }

    /// One workflow command per failing test (at the test, or at the expectation it missed) and
    /// per test-file mistake; with --require-coverage, one per gap.
    private func annotations(
        _ results: [RuleTestResult], fileErrors: [Diagnostic], coverage: Coverage?,
        renderer: DiagnosticRenderer
    ) -> [String] {
        var lines = fileErrors.map { renderer.github($0) }
        for result in results where !result.passed {
            lines += result.problems.map { renderer.github($0) }
            for failure in result.failures {
                let file = DiagnosticRenderer.githubProperty(result.file)
                let title = DiagnosticRenderer.githubProperty("rule test failed: " + result.test.name)
                lines.append(
                    "::error file=\(file),line=\(result.test.location.line),title=\(title)::"
                        + DiagnosticRenderer.githubData(failure))
            }
        }
        if let coverage {
            for rule in coverage.neverFired {
                lines.append(
                    "::error title=rule coverage::"
                        + DiagnosticRenderer.githubData("no test makes rule \(rule) fire"))
            }
            for rule in coverage.neverProvenSilent {
                lines.append(
                    "::error title=rule coverage::"
                        + DiagnosticRenderer.githubData("no test proves rule \(rule) silent"))
            }
        }
        return lines
    }

    private func matches(_ name: String, _ pattern: String) -> Bool {
        guard pattern.contains("*") else { return name.lowercased().contains(pattern.lowercased()) }
        return Glob(stars: pattern.lowercased()).matches(name.lowercased())
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    }
}
