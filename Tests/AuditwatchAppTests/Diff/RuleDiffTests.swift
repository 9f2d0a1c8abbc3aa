import AuditwatchApp
import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

/// `rules diff` in process: against the same rules nothing changes; against no rules every
/// alert of the fixture logs is added; a revision git does not know is a setup error.
@Suite struct RuleDiffTests {
    @Test func sameRulesChangeNothing() throws {
        var diff = RuleDiff(paths: [Repository.path("rules")], baseline: .directory(Repository.path("rules")))
        diff.sink = CapturedSink().sink
        let out = CapturedLines()
        let diffs = try diff.run(out: out)
        #expect(!diffs.isEmpty)
        #expect(diffs.allSatisfy { $0.entries.isEmpty && $0.beforeCount == $0.afterCount })
        #expect(out.lines.last == "0 added, 0 removed, 0 changed")
    }

    @Test func noRulesBeforeMeansEveryAlertIsAdded() throws {
        let empty = try makeTemporaryDirectory("app-diff")
        defer { try? FileManager.default.removeItem(at: empty) }
        var diff = RuleDiff(paths: [Repository.path("rules")], baseline: .directory(empty.path))
        diff.events = [Repository.path("examples/logs/acme-day.jsonl")]
        diff.sink = CapturedSink().sink
        let diffs = try diff.run(out: CapturedLines())
        #expect(diffs.count == 1)
        #expect(diffs[0].beforeCount == 0 && diffs[0].afterCount == 25)
        #expect(diffs[0].count(.added) == 25)
    }

    @Test func unknownRevisionIsASetupError() {
        var diff = RuleDiff(paths: [Repository.path("rules")], baseline: .revision("no-such-revision-here"))
        diff.sink = CapturedSink().sink
        #expect {
            try diff.run(out: CapturedLines())
        } throws: { error in
            guard let error = error as? AppError, case .setup(let message) = error else { return false }
            return error.exitCode == 2 && message.hasPrefix("--base no-such-revision-here: git knows no such revision")
        }
    }
}
