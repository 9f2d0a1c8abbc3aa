import AuditwatchCore
import Foundation
import Testing

@testable import AuditwatchReports

@Suite("Backtest tally: volumes per rule per day, top groups, bounded memory")
struct BacktestTallyTests {
    @Test("alerts count per UTC day and per group; rules rank by volume, ties by id")
    func countsPerDayAndGroup() {
        var tally = BacktestTally()
        let dana = [GroupValue(field: "actor.email", value: "dana@acme.example")]
        let lee = [GroupValue(field: "actor.email", value: "lee@acme.example")]
        for offset: Int64 in [10, 20, 86_400 + 5] {
            tally.observe(reportAlert(at: juneFirst + offset, group: dana))
        }
        tally.observe(reportAlert(at: juneFirst + 30, group: lee))
        tally.observe(reportAlert(rule: "api_key_created", level: .medium, at: juneFirst + 40))
        tally.observe(reportAlert(rule: "a_rule", level: .low, at: juneFirst + 50))
        let ranked = tally.rulesByVolume
        #expect(ranked.map(\.ruleID) == ["brute_force_user", "a_rule", "api_key_created"])
        let brute = ranked[0]
        #expect(brute.alerts == 4)
        #expect(brute.perDay == [ReportDay.number(juneFirst): 3, ReportDay.number(juneFirst) + 1: 1])
        #expect(brute.groups == ["actor.email=dana@acme.example": 3, "actor.email=lee@acme.example": 1])
        #expect(ranked[1].grouped == false)
    }

    @Test("the range covers the events read, not only days with alerts")
    func rangeFromEvents() {
        var tally = BacktestTally()
        tally.observeEvent(at: juneFirst - 86_400 * 2)
        tally.observeEvent(at: juneFirst + 86_400 * 3)
        tally.observe(reportAlert(at: juneFirst))
        let day = ReportDay.number(juneFirst)
        #expect(tally.dayRange == (day - 2)...(day + 3))
        #expect(tally.eventCount == 2)
    }

    @Test("distinct groups stop being kept past the limit; their alerts are still counted")
    func groupLimit() {
        var tally = BacktestTally()
        for index in 0..<(BacktestTally.groupLimit + 5) {
            tally.observe(reportAlert(at: juneFirst, group: [GroupValue(field: "ip", value: "10.0.\(index)")]))
        }
        tally.observe(reportAlert(at: juneFirst, group: [GroupValue(field: "ip", value: "10.0.0")]))
        let rule = tally.rulesByVolume[0]
        #expect(rule.groups.count == BacktestTally.groupLimit)
        #expect(rule.overflowAlerts == 5)
        #expect(rule.groups["ip=10.0.0"] == 2, "a group already kept goes on counting")
        #expect(rule.alerts == BacktestTally.groupLimit + 6)
    }

    @Test("days before 1970 round down, as calendar days do")
    func negativeDays() {
        #expect(ReportDay.number(-1) == -1)
        #expect(ReportDay.number(-86_400) == -1)
        #expect(ReportDay.number(-86_401) == -2)
        #expect(ReportDay.label(ReportDay.number(juneFirst)) == "2026-06-01")
    }
}
