import AuditwatchTestSupport
import Foundation
import Testing

@Suite("auditwatch config reference")
struct ConfigCommandTests {
    @Test("docs/config.md is exactly what `auditwatch config reference` prints")
    func docsUpToDate() throws {
        let printed = try CommandRunner.run(["config", "reference"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let committed = try String(
            contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("docs/config.md"), encoding: .utf8)
        #expect(printed.stdout == committed, "regenerate it: auditwatch config reference > docs/config.md")
        for key in ["unavailable_after", "listen", "template", "max_retry_after", "time:ZONE"] {
            #expect(committed.contains("`\(key)`"))
        }
    }

    @Test("check warns about plain http to another machine, and refuses it under --strict")
    func strictCheck() throws {
        let directory = try makeTemporaryDirectory("aw-strict")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        notifiers:
          siem: {type: webhook, url: "http://siem.example.com/hook"}
        default_notifiers: [siem]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let relaxed = try CommandRunner.run(["check", "--config", path])
        #expect(relaxed.status == 0, "\(relaxed.stderr)")
        #expect(
            relaxed.stderr.contains("warning: notifier 'siem' sends alerts over plain http to siem.example.com"),
            "\(relaxed.stderr)")
        let strict = try CommandRunner.run(["check", "--strict", "--config", path])
        #expect(strict.status == 2, "\(strict.stderr)")
        #expect(strict.stderr.contains("plain http"))
    }
}
