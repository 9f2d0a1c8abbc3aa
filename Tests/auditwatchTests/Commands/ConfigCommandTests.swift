import AuditwatchTestSupport
import Foundation
import Testing

@Suite("auditwatch config reference")
struct ConfigCommandTests {
    @Test("docs/config.md is exactly what `auditwatch config reference` prints")
    func docsUpToDate() throws {
        let printed = try CommandRunner.run(["config", "reference"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let committed = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("docs/config.md"), encoding: .utf8)
        #expect(printed.stdout == committed, "regenerate it: auditwatch config reference > docs/config.md")
        for key in ["unavailable_after", "listen", "template", "max_retry_after", "time:ZONE"] { #expect(committed.contains("`\(key)`")) }
    }
}
