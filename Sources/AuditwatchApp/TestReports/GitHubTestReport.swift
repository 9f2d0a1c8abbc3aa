import AuditwatchCore
import AuditwatchRuleTests

/// `rules test --format github`: one workflow command per failing test (at the test, or at the
/// expectation it missed) and per test-file mistake; with `coverage`, one per gap.
public enum GitHubTestReport {
    public static func lines(_ outcome: RuleTestOutcome, coverage: Bool) -> [String] {
        let renderer = outcome.renderer
        var lines = outcome.fileErrors.map { renderer.github($0) }
        for result in outcome.results where !result.passed {
            lines += result.problems.map { renderer.github($0) }
            for failure in result.failures {
                let file = DiagnosticRenderer.githubProperty(result.file)
                let title = DiagnosticRenderer.githubProperty("rule test failed: " + result.test.name)
                lines.append(
                    "::error file=\(file),line=\(result.test.location.line),title=\(title)::"
                        + DiagnosticRenderer.githubData(failure))
            }
        }
        guard coverage else { return lines }
        for rule in outcome.coverage.neverFired {
            lines.append(
                "::error title=rule coverage::" + DiagnosticRenderer.githubData("no test makes rule \(rule) fire"))
        }
        for rule in outcome.coverage.neverProvenSilent {
            lines.append(
                "::error title=rule coverage::" + DiagnosticRenderer.githubData("no test proves rule \(rule) silent"))
        }
        return lines
    }
}
