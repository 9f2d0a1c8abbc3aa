import AuditwatchCore
import AuditwatchRuleTests

/// `rules test --format json`: one object with the tests, the test-file errors and the coverage.
public enum JSONTestReport {
    public static func line(_ outcome: RuleTestOutcome, coverage: Bool) -> String {
        let renderer = outcome.renderer
        let items = outcome.results.map { result in
            "{\"name\":\(JSONWriter.quoted(result.test.name)),\"file\":\(JSONWriter.quoted(result.file)),\"line\":\(result.test.location.line),\"passed\":\(result.passed),\"failures\":[\((result.failures + result.problems.map { renderer.text($0) }).map(JSONWriter.quoted).joined(separator: ","))],\"alerts\":\(result.alerts.count)}"
        }
        var object =
            "{\"tests\":[" + items.joined(separator: ",") + "],\"test_file_errors\":"
            + renderer.json(outcome.fileErrors)
        if coverage {
            let report = outcome.coverage
            object +=
                ",\"coverage\":{\"never_fired\":[\(report.neverFired.map(JSONWriter.quoted).joined(separator: ","))],\"never_proven_silent\":[\(report.neverProvenSilent.map(JSONWriter.quoted).joined(separator: ","))]}"
        }
        return object + "}"
    }
}
