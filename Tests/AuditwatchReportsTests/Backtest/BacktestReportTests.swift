import AuditwatchCore
import Foundation
import Testing

@testable import AuditwatchReports

@Suite("Backtest report: one self-contained page")
struct BacktestReportTests {
    func sampleTally() -> BacktestTally {
        var tally = BacktestTally()
        for day: Int64 in 0..<30 {
            tally.observeEvent(at: juneFirst + day * 86_400)
            for repeatIndex in 0..<Int(day % 4) {
                let group = [
                    GroupValue(field: "actor.email", value: repeatIndex == 0 ? hostileText : "lee@acme.example")
                ]
                tally.observe(reportAlert(at: juneFirst + day * 86_400 + Int64(repeatIndex), group: group))
            }
            if day % 7 == 0 {
                tally.observe(reportAlert(rule: "api_key_created", level: .medium, at: juneFirst + day * 86_400))
            }
        }
        return tally
    }

    @Test("the page names every rule, charts the range by day and lists top groups")
    func content() {
        let html = BacktestReport(tally: sampleTally(), origin: "month.jsonl", loadedRules: 89).html()
        #expect(html.contains("<tr data-rule=\"brute_force_user\">"))
        #expect(html.contains("<tr data-rule=\"api_key_created\">"))
        #expect(html.contains("2026-06-01 to 2026-06-30 (UTC)"))
        #expect(html.contains("Rules that fired</th><td class=\"num\">2 of 89"))
        #expect(html.contains("Alerts per day"))
        #expect(html.contains("Top groups"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4, "per day, noisiest, one per rule")
    }

    @Test("no script, no external resource, hostile group values as text")
    func selfContained() {
        let html = BacktestReport(tally: sampleTally(), origin: hostileText, loadedRules: 2).html()
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("Content-Security-Policy"))
        let outside = html.components(separatedBy: "http").dropFirst().filter {
            !$0.hasPrefix("://www.w3.org/2000/svg\"") && !$0.hasPrefix("-equiv=")
        }
        // The only other `http` is the hostile link, escaped into inert text.
        #expect(outside.allSatisfy { $0.hasPrefix("s://evil.example&quot;") }, "\(outside.map { $0.prefix(30) })")
        #expect(html.contains("&lt;script&gt;document.body.setAttribute"))
    }

    @Test("past 120 days the columns are weeks")
    func weeks() {
        var tally = BacktestTally()
        tally.observeEvent(at: juneFirst)
        tally.observeEvent(at: juneFirst + 199 * 86_400)
        tally.observe(reportAlert(at: juneFirst + 100 * 86_400))
        let html = BacktestReport(tally: tally, origin: "f", loadedRules: 1).html()
        #expect(html.contains("Alerts per week"))
        #expect(ReportDay.columns(ReportDay.number(juneFirst)...ReportDay.number(juneFirst) + 199).labels.count == 29)
    }

    @Test("an empty run says so")
    func empty() {
        let html = BacktestReport(tally: BacktestTally(), origin: "f", loadedRules: 3).html()
        #expect(html.contains("No events were read and no alert was raised."))
    }
}

@Suite("Chart axes")
struct ChartAxisTests {
    @Test(
        "gridlines fall on 1, 2 or 5 times a power of ten, at most five bands",
        arguments: [(1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (23, 5), (25, 5), (26, 10), (180, 50), (1_000, 200)])
    func tickSteps(largest: Int, step: Int) {
        #expect(DailyChart.tickStep(largest) == step)
    }
}
