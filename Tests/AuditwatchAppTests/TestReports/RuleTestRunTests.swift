import AuditwatchApp
import AuditwatchRuleTests
import AuditwatchTestSupport
import Foundation
import Testing

/// `rules test` in process: the pack's tests pass with full coverage; the three reports and
/// JUnit come from the same outcome; no test at all is a failure that says so.
@Suite struct RuleTestRunTests {
    @Test func thePackPassesWithFullCoverage() throws {
        var tests = RuleTestRun(paths: [Repository.path("rules")])
        tests.requireCoverage = true
        tests.sink = CapturedSink().sink
        let out = CapturedLines()
        try tests.run(out: out)
        let outcome = try tests.results(out: CapturedLines())
        #expect(outcome.failed == 0 && outcome.passed > 0)
        #expect(outcome.coverage.isComplete)
        #expect(out.lines.last == "\(outcome.passed) passed, 0 failed")
    }

    @Test func reportsSideBySide() throws {
        var tests = RuleTestRun(paths: [Repository.path("rules")])
        tests.sink = CapturedSink().sink
        let outcome = try tests.results(out: CapturedLines())
        let text = TextTestReport.lines(outcome, coverage: true)
        let json = JSONTestReport.line(outcome, coverage: true)
        let xml = JUnitReport.xml(
            outcome.results, renderer: outcome.renderer, fileErrors: outcome.fileErrors,
            timestamp: "2026-01-01T00:00:00",
            hostname: "test")
        #expect(text.filter { $0.hasPrefix("PASS  ") }.count == outcome.passed)
        #expect(json.hasPrefix("{\"tests\":[") && json.contains("\"never_fired\":[]"))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == outcome.results.count)
        #expect(GitHubTestReport.lines(outcome, coverage: true).isEmpty)
    }

    @Test func noTestMatchingTheFilterFails() {
        var tests = RuleTestRun(paths: [Repository.path("rules")])
        tests.filter = "no test is named like this"
        let captured = CapturedSink()
        tests.sink = captured.sink
        let out = CapturedLines()
        #expect {
            try tests.run(out: out)
        } throws: { error in
            guard let error = error as? AppError, case .verdict = error else { return false }
            return error.exitCode == 1
        }
        #expect(out.lines == ["0 passed, 0 failed"])
        #expect(
            captured.lines.last?.hasPrefix("auditwatch: no tests match --filter 'no test is named like this'") == true)
    }

    @Test func junitThatCannotBeWrittenIsAFailure() {
        var tests = RuleTestRun(paths: [Repository.path("rules")])
        tests.junit = "/nonexistent/folder/report.xml"
        tests.sink = CapturedSink().sink
        #expect {
            try tests.run(out: CapturedLines())
        } throws: { error in
            guard let error = error as? AppError, case .failure(let message) = error else { return false }
            return message.hasPrefix("cannot write /nonexistent/folder/report.xml")
        }
    }

    @Test func filterMatchesWildcards() {
        #expect(RuleTestRun.matches("Owner invited from outside", "owner*outside"))
        #expect(RuleTestRun.matches("Owner invited from outside", "INVITED"))
        #expect(!RuleTestRun.matches("Owner invited from outside", "outside*owner"))
    }
}
