import AuditwatchCore
import Testing

/// The comparison behind `rules diff`: pure, over two alert lists.
@Suite struct AlertDiffTests {
    private func alert(_ id: String, rule: String, count: Int = 1, at time: Int64 = 100, group: String = "u1") -> Alert
    {
        Alert(
            id: id, ruleID: rule, ruleTitle: "t", level: .high, tags: [],
            group: [GroupValue(field: "actor.id", value: group)], count: count, firstAt: time, lastAt: time,
            eventIDs: ["e\(id)"], summary: "s")
    }

    @Test func addedRemovedAndUnchanged() {
        let same = alert("a1", rule: "r1")
        let diff = AlertDiff(
            log: "log", before: [same, alert("a2", rule: "r2")], after: [same, alert("a3", rule: "r3")],
            correlations: [])
        #expect(diff.beforeCount == 2 && diff.afterCount == 2)
        #expect(diff.entries.map(\.change) == [.removed, .added])
        #expect(diff.entries.map(\.alert.id) == ["a2", "a3"])
    }

    @Test func aCorrelationGroupThatMovesIsOneChange() {
        let diff = AlertDiff(
            log: "log", before: [alert("c1", rule: "corr", count: 3, at: 100)],
            after: [alert("c2", rule: "corr", count: 2, at: 90)], correlations: ["corr"])
        #expect(diff.entries.map(\.change) == [.changed])
        #expect(diff.entries[0].differences.first == "count 3 → 2")
    }

    @Test func outsideCorrelationsANewIdIsAddedAndRemoved() {
        let diff = AlertDiff(
            log: "log", before: [alert("c1", rule: "r", count: 3)], after: [alert("c2", rule: "r", count: 2)],
            correlations: [])
        #expect(diff.count(.added) == 1 && diff.count(.removed) == 1 && diff.count(.changed) == 0)
    }
}
