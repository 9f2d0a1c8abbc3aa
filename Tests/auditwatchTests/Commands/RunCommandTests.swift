import AuditwatchTestSupport
import Foundation
import Testing

@Suite("auditwatch run, as a user runs it")
struct RunCommandTests {
    @Test("the shipped rules find the incidents in the example day, with stable ids")
    func exampleDay() throws {
        let first = try CommandRunner.run([
            "run", "--rules", "rules", "--events", "examples/logs/acme-day.jsonl", "--output", "jsonl",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let alerts = try first.stdoutLines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let rules = alerts.compactMap { ($0["rule"] as? [String: Any])?["id"] as? String }
        #expect(
            Set(rules) == [
                "api_key_created_by_service_account", "organization_settings_updated",
                "project_archived_by_service_account",
                "service_account_with_owner_role", "invite_with_owner_role", "user_promoted_to_owner",
                "ip_allowlist_weakened",
                "scim_disabled", "rate_limit_raised", "admin_api_key_changed", "login_from_scripting_client",
                "api_key_created_outside_business_hours", "invite_to_personal_email_domain",
                "brute_force_user", "brute_force_source_ip", "password_spray", "failures_then_success",
                "api_keys_across_projects", "projects_archived_in_a_row",
            ])
        // Building blocks feed correlations and never alert on their own.
        #expect(
            !rules.contains("login_failed") && !rules.contains("login_succeeded") && !rules.contains("api_key_created"))
        // One alert per incident: dana's nine failures are one brute-force alert.
        #expect(rules.filter { $0 == "brute_force_user" }.count == 1)
        #expect(rules.filter { $0 == "api_key_created_outside_business_hours" }.count == 5)
        #expect(rules.filter { $0 == "project_archived_by_service_account" }.count == 3)
        for alert in alerts {
            for key in ["id", "rule", "group", "count", "first_at", "last_at", "events", "summary"] {
                #expect(alert[key] != nil, "alert lacks \(key)")
            }
            #expect((alert["events"] as? [String])?.count == alert["count"] as? Int)
        }
        let invite = try #require(
            alerts.first { ($0["rule"] as? [String: Any])?["id"] as? String == "invite_with_owner_role" })
        #expect(invite["summary"] as? String == "erin@acme.example invited mallory.contractor@gmail.com as owner")
        #expect((invite["rule"] as? [String: Any])?["level"] as? String == "high")
        #expect(first.stderr.contains("280 events read, 0 skipped, 25 alerts (critical 1, high 14, medium 9, low 1)"))

        let second = try CommandRunner.run([
            "run", "--rules", "rules", "--events", "examples/logs/acme-day.jsonl", "--output", "jsonl",
        ])
        #expect(second.stdout == first.stdout, "the same input must give the same alerts and ids")
    }

    @Test("text output: one line per alert")
    func textOutput() throws {
        let outcome = try CommandRunner.run(["run", "--events", "examples/logs/acme-day.jsonl"])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutLines.count == 25)
        #expect(
            outcome.stdoutLines.contains {
                $0.hasPrefix("2026-03-17T16:30:00Z HIGH") && $0.contains("invite_with_owner_role")
            })
    }

    @Test("the spec's example events parse without a single error, from standard input")
    func specExamplesFromStdin() throws {
        let examples = try String(
            contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("examples/logs/spec-examples.json"),
            encoding: .utf8)
        let outcome = try CommandRunner.run(["run", "--events", "-", "--output", "jsonl"], input: examples)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("3 events read, 0 skipped"))
        #expect(outcome.stdout.contains("project_archived_by_service_account") == false)
    }

    @Test("a malformed line is named, skipped and counted; --strict makes it fatal")
    func malformedLine() throws {
        let lines = try String(
            contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("examples/logs/acme-day.jsonl"),
            encoding: .utf8
        )
        .split(separator: "\n").map(String.init)
        let damaged = (lines[..<200] + ["{\"id\": \"cut-off\", \"type\": \"invite.sent\""] + lines[200...]).joined(
            separator: "\n")
        let outcome = try CommandRunner.run(["run", "--events", "-", "--output", "jsonl"], input: damaged)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("<stdin>:201:"))
        #expect(outcome.stderr.contains("malformed JSON"))
        #expect(outcome.stderr.contains("280 events read, 1 skipped, 25 alerts"))
        #expect(outcome.stdoutLines.count == 25)

        let strict = try CommandRunner.run(["run", "--events", "-", "--strict"], input: damaged)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("<stdin>:201:"))
    }

    @Test("events of undocumented types are evaluated and counted")
    func undocumentedTypes() throws {
        let events =
            #"{"id":"n1","type":"brand.new_thing","effective_at":1}"# + "\n"
            + #"{"id":"n2","type":"brand.new_thing","effective_at":2}"# + "\n"
        let outcome = try CommandRunner.run(["run", "--events", "-"], input: events)
        #expect(outcome.status == 0)
        #expect(
            outcome.stderr.contains("2 events of 1 type the API does not document were evaluated: brand.new_thing (2)"))
    }

    @Test("rules with errors stop the run before any event is read")
    func brokenRules() throws {
        let directory = try makeTemporaryDirectory("aw-broken")
        let file = directory.appendingPathComponent("bad.yml")
        try "title: t\nid: bad\nlevel: high\ndetection:\n  sel: {type: x}\n  condition: sel and nope\n".write(
            to: file, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run([
            "run", "--rules", directory.path, "--events", "examples/logs/acme-day.jsonl",
        ])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("bad.yml:6:22: error: unknown selection 'nope'"))
        #expect(outcome.stderr.contains("nothing was run"))
    }

    @Test("rules explain shows each field's verdict and the event's value; exit 1 when it does not match")
    func explain() throws {
        let outcome = try CommandRunner.run([
            "rules", "explain", "project_archived_by_service_account", "--event", "examples/logs/spec-examples.json",
        ])
        #expect(outcome.status == 1)
        #expect(
            outcome.stdout.contains(
                "✔ type: [\"project.archived\", \"project.deleted\"]  (event has \"project.archived\")"))
        #expect(outcome.stdout.contains("✘ actor.api_key.type: \"service_account\"  (event has \"user\")"))
        let unknown = try CommandRunner.run([
            "rules", "explain", "project_archived_by_service_acount", "--event", "examples/logs/spec-examples.json",
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'project_archived_by_service_account'"))
    }

    @Test("rules validate --strict turns schema warnings into errors; JSON diagnostics go to stdout")
    func strictValidate() throws {
        let directory = try makeTemporaryDirectory("aw-strict")
        try
            "title: t\nid: typo\nlevel: low\nlogsource: {product: openai, service: audit_log}\ndetection:\n  sel: {type: login.faild}\n  condition: sel\n"
            .write(to: directory.appendingPathComponent("r.yml"), atomically: true, encoding: .utf8)
        let lenient = try CommandRunner.run(["rules", "validate", directory.path])
        #expect(lenient.status == 0)
        #expect(
            lenient.stderr.contains(
                "warning: 'login.faild' matches no documented event type; did you mean 'login.failed'?"))
        let strict = try CommandRunner.run(["rules", "validate", "--strict", "--format", "json", directory.path])
        #expect(strict.status == 2)
        let findings = try #require(
            try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [[String: Any]])
        #expect(findings.first?["severity"] as? String == "error")
        #expect(findings.first?["line"] as? Int == 6)
        #expect(findings.first?["rule"] as? String == "typo")
    }

    @Test("rules validate and rules list")
    func validateAndList() throws {
        let validate = try CommandRunner.run(["rules", "validate", "rules"])
        #expect(validate.status == 0)
        #expect(validate.stderr.contains("71 rules and 18 correlations in 55 files OK, 0 warnings"))
        let strict = try CommandRunner.run(["rules", "validate", "--strict", "--format", "json", "rules"])
        #expect(strict.status == 0)
        #expect(strict.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let list = try CommandRunner.run(["rules", "list", "--format", "json"])
        #expect(list.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 89)
        #expect(items.contains { $0["id"] as? String == "password_spray" && $0["type"] as? String == "value_count" })
        #expect(
            items.contains {
                $0["id"] as? String == "privileged_change_outside_office_networks" && $0["enabled"] as? Bool == true
            })
        #expect(items.allSatisfy { $0["id"] != nil && $0["level"] != nil && $0["title"] != nil && $0["file"] != nil })
    }
}
