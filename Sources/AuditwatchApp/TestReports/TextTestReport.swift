import AuditwatchCore
import AuditwatchRuleTests

/// `rules test`'s report for people: PASS/FAIL per test with its findings, coverage, totals.
public enum TextTestReport {
    public static func lines(_ outcome: RuleTestOutcome, coverage: Bool) -> [String] {
        let renderer = outcome.renderer
        var lines = outcome.fileErrors.map { "FAIL  " + renderer.text($0) }
        for result in outcome.results {
            lines.append(
                "\(result.passed ? "PASS" : "FAIL")  \(result.test.name)  (\(result.file):\(result.test.location.line))"
            )
            lines += result.problems.map { indent(renderer.text($0)) }
            lines += result.failures.map(indent)
        }
        if coverage {
            let report = outcome.coverage
            lines.append(
                "coverage: \(report.neverFired.count) rule(s) no test makes fire\(report.neverFired.isEmpty ? "" : ": " + report.neverFired.joined(separator: ", "))"
            )
            lines.append(
                "coverage: \(report.neverProvenSilent.count) rule(s) no test proves silent\(report.neverProvenSilent.isEmpty ? "" : ": " + report.neverProvenSilent.joined(separator: ", "))"
            )
            let gaps = Set(report.neverFired + report.neverProvenSilent)
            for block in RuleOverview.all(outcome.loaded).filter({ $0.isBuildingBlock && gaps.contains($0.id) }) {
                lines.append(
                    "coverage: \(block.id) is a building block (it alerts only through "
                        + "\(block.buildingBlockOf.joined(separator: ", "))): "
                        + "a test makes it fire when one of its events "
                        + "matches it, and proves it silent with one that does not; name it in the test's rules: "
                        + "next to the correlation, whose alerts the test expects")
            }
        }
        lines.append("\(outcome.passed) passed, \(outcome.failed) failed")
        return lines
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    }
}
