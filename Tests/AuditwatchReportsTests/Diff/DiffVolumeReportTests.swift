import AuditwatchCore
import Foundation
import Testing

@testable import AuditwatchReports

@Suite("Diff report: volume per rule before and after")
struct DiffVolumeReportTests {
    @Test("rules rank by the size of their change; both sides are drawn and tabled")
    func volumes() {
        let before = (0..<10).map { reportAlert(at: juneFirst + Int64($0)) } + [reportAlert(rule: "b", at: juneFirst)]
        let after =
            (0..<3).map { reportAlert(at: juneFirst + Int64($0)) } + [reportAlert(rule: "b", at: juneFirst)]
            + (0..<2).map { reportAlert(rule: "c", at: juneFirst + Int64($0)) }
        let report = DiffVolumeReport(
            before: before, after: after, logs: ["tests/fixtures/day.jsonl"], beforeName: "main",
            afterName: "working tree", added: 2, removed: 7, changed: 0)
        #expect(
            report.volumes == [
                .init(ruleID: "brute_force_user", before: 10, after: 3), .init(ruleID: "c", before: 0, after: 2),
                .init(ruleID: "b", before: 1, after: 1),
            ])
        let html = report.html()
        #expect(html.contains("<span class=\"down\">-7</span>"))
        #expect(html.contains("<span class=\"up\">+2</span>"))
        #expect(html.contains("Alerts before</th><td class=\"num\">11"))
        #expect(!html.lowercased().contains("<script"))
    }
}
