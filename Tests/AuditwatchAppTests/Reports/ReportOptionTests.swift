import AuditwatchApp
import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

/// `backtest --report` and `rules diff --report` in process: the page is written beside the
/// usual output, which stays as it was.
@Suite struct ReportOptionTests {
    @Test func backtestWritesItsReport() throws {
        let directory = try makeTemporaryDirectory("app-report")
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html").path
        var backtest = Backtest(input: .file(Repository.path("examples/logs/acme-day.jsonl"), threads: 1), config: nil)
        backtest.rules = [Repository.path("rules")]
        backtest.report = page
        let captured = CapturedSink()
        backtest.sink = captured.sink
        let out = CapturedLines()
        try backtest.run(out: out)
        #expect(out.lines.count == 25, "the alerts are printed as without --report")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("Events read</th><td class=\"num\">280"))
        #expect(html.contains("Alerts</th><td class=\"num\">25"))
        #expect(html.contains("<svg "))
        #expect(captured.lines.last == "auditwatch: report written to \(page)")
    }

    @Test func diffWritesVolumesBeforeAndAfter() throws {
        let directory = try makeTemporaryDirectory("app-diff-report")
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("diff.html").path
        var diff = RuleDiff(paths: [Repository.path("rules")], baseline: .directory(empty.path))
        diff.events = [Repository.path("examples/logs/acme-day.jsonl")]
        diff.report = page
        diff.sink = CapturedSink().sink
        _ = try diff.run(out: CapturedLines())
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("Alerts before</th><td class=\"num\">0"))
        #expect(html.contains("Alerts after</th><td class=\"num\">25"))
        #expect(html.contains("Added / removed / changed</th><td class=\"num\">25 / 0 / 0"))
    }

    @Test func anUnwritableReportIsASetupError() {
        var backtest = Backtest(input: .file(Repository.path("examples/logs/acme-day.jsonl"), threads: 1), config: nil)
        backtest.rules = [Repository.path("rules")]
        backtest.report = "/nonexistent-directory/report.html"
        backtest.sink = CapturedSink().sink
        #expect {
            try backtest.run(out: CapturedLines())
        } throws: { error in
            guard case .setup(let message) = error as? AppError else { return false }
            return message.hasPrefix("cannot write the report to /nonexistent-directory/report.html")
        }
    }
}
