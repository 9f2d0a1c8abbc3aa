import AuditwatchTestSupport
import Foundation
import Testing

@Suite("Reading commands never create a state file", .serialized)
struct ReadOnlyCommandTests {
    @Test(
        "alerts list and alerts retry on a missing state file are errors, and create nothing",
        arguments: [
            ["alerts", "list", "--state"], ["alerts", "retry", "--all-failed", "--state"],
        ])
    func missingStateFile(arguments: [String]) throws {
        let directory = try makeTemporaryDirectory("aw-readonly")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mistyped.sqlite").path
        let outcome = try CommandRunner.run(arguments + [path])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("no state file at \(path)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("check works without creating the state file it names")
    func checkCreatesNothing() throws {
        let directory = try makeTemporaryDirectory("aw-readonly")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        notifiers:
          console: {type: stdout}
        default_notifiers: [console]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["check", "--config", path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("not created yet"), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["auditwatch.yml"])
    }

    @Test("alerts list shows every recorded alert with its id, those sent nowhere too, and deliveries in JSON")
    func everyAlert() throws {
        let directory = try makeTemporaryDirectory("aw-list")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auditwatch.yml").path
        // Only critical alerts go anywhere; the rest are recorded, routed to no notifier.
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        notifiers:
          console: {type: stdout}
        routes:
          - {levels: [critical], notifiers: [console]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(["run", "--config", path, "--events", "examples/logs/acme-day.jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try CommandRunner.run(["alerts", "list", "--config", path])
        #expect(text.stdoutLines.count == 25, "all 25 alerts of the example day: \(text.stdout)")
        #expect(text.stdoutLines.filter { $0.hasPrefix("console ") }.count == 1, "the one critical alert was sent")
        #expect(text.stdoutLines.filter { $0.hasPrefix("-          recorded") }.count == 24)
        let json = try CommandRunner.run(["alerts", "list", "--config", path, "--output", "jsonl"])
        let objects = try json.stdoutLines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 25)
        for (object, line) in zip(objects, text.stdoutLines) {
            let id = try #require(object["id"] as? String)
            #expect(line.contains(" \(id) "), "the text line carries the id")
        }
        let sent = objects.compactMap { $0["deliveries"] as? [[String: Any]] }.filter { !$0.isEmpty }
        #expect(sent.count == 1)
        #expect(
            sent.first?.first?["notifier"] as? String == "console" && sent.first?.first?["status"] as? String == "sent")
    }
}
