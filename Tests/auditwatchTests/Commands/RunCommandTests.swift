import AuditwatchTestSupport
import Foundation
import Testing

@Suite("auditwatch run, as a user runs it")
struct RunCommandTests {
    @Test("the shipped rules find the incidents in the example day, with stable ids")
    func exampleDay() throws {
        let first = try CommandRunner.run(["run", "--rules", "rules", "--events", "examples/logs/acme-day.jsonl", "--output", "jsonl"])
        #expect(first.status == 0, "\(first.stderr)")
        let alerts = try first.stdoutLines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let rules = alerts.compactMap { ($0["rule"] as? [String: Any])?["id"] as? String }
        #expect(Set(rules) == [
            "api_key_created_by_service_account", "organization_settings_updated", "project_archived_by_service_account",
            "service_account_with_owner_role", "invite_with_owner_role", "user_promoted_to_owner", "ip_allowlist_weakened",
            "scim_disabled", "rate_limit_raised", "admin_api_key_changed",
        ])
        #expect(rules.filter { $0 == "project_archived_by_service_account" }.count == 3)
        for alert in alerts {
            for key in ["id", "rule", "group", "count", "first_at", "last_at", "events", "summary"] {
                #expect(alert[key] != nil, "alert lacks \(key)")
            }
            #expect((alert["events"] as? [String])?.count == alert["count"] as? Int)
        }
        let invite = try #require(alerts.first { ($0["rule"] as? [String: Any])?["id"] as? String == "invite_with_owner_role" })
        #expect(invite["summary"] as? String == "erin@acme.example invited mallory.contractor@gmail.com as owner")
        #expect((invite["rule"] as? [String: Any])?["level"] as? String == "high")
        #expect(first.stderr.contains("280 events read, 0 skipped, 12 alerts (high 8, medium 3, low 1)"))

        let second = try CommandRunner.run(["run", "--rules", "rules", "--events", "examples/logs/acme-day.jsonl", "--output", "jsonl"])
        #expect(second.stdout == first.stdout, "the same input must give the same alerts and ids")
    }

    @Test("text output: one line per alert")
    func textOutput() throws {
        let outcome = try CommandRunner.run(["run", "--events", "examples/logs/acme-day.jsonl"])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutLines.count == 12)
        #expect(outcome.stdoutLines.contains { $0.hasPrefix("2026-03-17T16:30:00Z HIGH") && $0.contains("invite_with_owner_role") })
    }

    @Test("the spec's example events parse without a single error, from standard input")
    func specExamplesFromStdin() throws {
        let examples = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("examples/logs/spec-examples.json"), encoding: .utf8)
        let outcome = try CommandRunner.run(["run", "--events", "-", "--output", "jsonl"], input: examples)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("3 events read, 0 skipped"))
        #expect(outcome.stdout.contains("project_archived_by_service_account") == false)
    }

    @Test("a malformed line is named, skipped and counted; --strict makes it fatal")
    func malformedLine() throws {
        let lines = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("examples/logs/acme-day.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let damaged = (lines[..<200] + ["{\"id\": \"cut-off\", \"type\": \"invite.sent\""] + lines[200...]).joined(separator: "\n")
        let outcome = try CommandRunner.run(["run", "--events", "-", "--output", "jsonl"], input: damaged)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("<stdin>:201:"))
        #expect(outcome.stderr.contains("malformed JSON"))
        #expect(outcome.stderr.contains("280 events read, 1 skipped, 12 alerts"))
        #expect(outcome.stdoutLines.count == 12)

        let strict = try CommandRunner.run(["run", "--events", "-", "--strict"], input: damaged)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("<stdin>:201:"))
    }

    @Test("rules with errors stop the run before any event is read")
    func brokenRules() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aw-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("bad.yml")
        try "title: t\nid: bad\nlevel: high\ndetection:\n  sel: {type: x}\n  condition: sel and nope\n".write(to: file, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["run", "--rules", directory.path, "--events", "examples/logs/acme-day.jsonl"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("bad.yml:6:22: error: unknown selection 'nope'"))
        #expect(outcome.stderr.contains("nothing was run"))
    }

    @Test("rules validate and rules list")
    func validateAndList() throws {
        let validate = try CommandRunner.run(["rules", "validate", "rules"])
        #expect(validate.status == 0)
        #expect(validate.stderr.contains("11 rules in 11 files OK"))
        let list = try CommandRunner.run(["rules", "list", "--format", "json"])
        #expect(list.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 11)
        #expect(items.allSatisfy { $0["id"] != nil && $0["level"] != nil && $0["title"] != nil && $0["file"] != nil })
    }
}
