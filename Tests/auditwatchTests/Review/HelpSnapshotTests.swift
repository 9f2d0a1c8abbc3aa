import AuditwatchTestSupport
import Foundation
import Testing

/// The help users read, as golden files: a changed flag or wording shows in review.
@Suite("help text golden files")
struct HelpSnapshotTests {
    static let commands: [[String]] = [
        [], ["rules"], ["rules", "validate"], ["rules", "test"], ["rules", "diff"], ["rules", "explain"],
        ["rules", "list"], ["rules", "coverage"], ["schema"],
    ]

    @Test("help text", arguments: commands)
    func help(_ command: [String]) throws {
        let outcome = try CommandRunner.run(command + ["--help"], environment: ["COLUMNS": "100"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        try Snapshot.check(outcome.stdout, named: "help/" + (["auditwatch"] + command).joined(separator: "-") + ".txt")
    }
}
