import AuditwatchTestSupport
import Foundation
import Testing

@Suite("explain anything, and the schema at hand")
struct ExplainAndSchemaTests {
    @Test("rules explain --event without a rule explains every rule against each event")
    func explainEveryRule() throws {
        let outcome = try CommandRunner.run(
            ["rules", "explain", "--event", "-", "--rules", "rules"],
            input: """
                {"id":"k1","type":"api_key.created","effective_at":1773709205,"actor":{"type":"api_key","api_key":{"type":"service_account","service_account":{"id":"svc"}}},"api_key.created":{"id":"key_1"}}
                """)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdoutLines
        #expect(lines.first == "event k1 (api_key.created, 2026-03-17T01:00:05Z)")
        #expect(lines.contains("  ✔ api_key_created_by_service_account matches"), "\(outcome.stdout)")
        #expect(
            lines.contains {
                $0.hasPrefix("  ✘ api_key_created_outside_business_hours: false: by_person")
                    && $0.contains("(event has \"api_key\")")
            })
        #expect(lines.contains { $0.hasSuffix(" rules read other event types") })
    }

    @Test("rules explain CORRELATION --events shows the group, window, count so far and what fires")
    func explainCorrelation() throws {
        let outcome = try CommandRunner.run([
            "rules", "explain", "brute_force_user", "--events", "examples/logs/acme-day.jsonl",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = outcome.stdout
        #expect(
            text.hasPrefix(
                "correlation brute_force_user (event_count): over login_failed, group by actor.email, window 10m, fires when the count is gte 5"
            ))
        #expect(
            text.contains(
                "    group {actor.email: dana@acme.example}: 5 matching events since 2026-03-17T03:03:40Z (the window)\n"
            ), "\(text)")
        // The alert (anchored at the fifth) comes out once the watermark passes it: correlation
        // matches wait for the lateness, so the order of arrival cannot change the alerts.
        #expect(
            text.contains(
                "    group {actor.email: dana@acme.example}: 9 matching events since 2026-03-17T03:05:20Z (the window)\n"
                    + "  → fires: 2026-03-17T03:13:40Z HIGH          brute_force_user  5 failed sign-ins for dana@acme.example"
            ), "\(text)")
        let unknown = try CommandRunner.run([
            "rules", "explain", "brute_force_usr", "--events", "examples/logs/acme-day.jsonl",
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no rule or correlation 'brute_force_usr'; did you mean 'brute_force_user'?"))
    }

    @Test("calendar lines read in the calendar's local time and zone; a missing field carries the did-you-mean")
    func calendarAndMissingField() throws {
        let directory = try makeTemporaryDirectory("aw-explain")
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        title: Typo
        id: typo
        level: low
        detection:
          sel:
            type: login.failed
            actor.sesion.ip_address: 1.2.3.4
          condition: sel
        """.write(to: directory.appendingPathComponent("typo.yml"), atomically: true, encoding: .utf8)
        let event =
            #"{"id":"f1","type":"login.failed","effective_at":1773749100,"actor":{"type":"session","session":{"ip_address":"1.2.3.4"}}}"#
        let typo = try CommandRunner.run(
            ["rules", "explain", "typo", "--event", "-", "--rules", directory.path], input: event)
        #expect(
            typo.stdout.contains(
                "✘ actor.sesion.ip_address: \"1.2.3.4\"  (field missing; did you mean 'actor.session.ip_address'?)"),
            "\(typo.stdout)")
        let calendar = try CommandRunner.run([
            "rules", "explain", "globex_key_after_hours", "--event",
            "examples/rules-repo/tests/fixtures/new-york-day.jsonl", "--rules", "examples/rules-repo/rules",
        ])
        #expect(
            calendar.stdout.contains(
                "✔ effective_at|calendar: \"office_hours\"  (event has 1773749100 = 08:05 EDT Tue 2026-03-17, America/New_York)"
            ),
            "\(calendar.stdout)")
    }

    @Test("auditwatch schema TYPE, schema --field PATH, and their did-you-means")
    func schema() throws {
        let type = try CommandRunner.run(["schema", "api_key.created"])
        #expect(type.status == 0)
        #expect(
            type.stdoutLines.prefix(3) == [
                "api_key.created", "  its own fields (also readable as details.<field>):", "    api_key.created.data",
            ])
        #expect(type.stdoutLines.contains("    actor.session.user_agent"))
        let common = try CommandRunner.run(["schema", "--field", "actor.session.user_agent"])
        #expect(common.stdoutLines == ["actor.session.user_agent: every event type carries it (a common field)"])
        let detail = try CommandRunner.run(["schema", "--field", "details.data.scopes"])
        #expect(detail.stdoutLines == ["details.data.scopes is carried by 1 event type:", "  api_key.created"])
        let typo = try CommandRunner.run(["schema", "api_key.craeted"])
        #expect(typo.status == 1)
        #expect(
            typo.stderr.contains("'api_key.craeted' is not a documented event type; did you mean 'api_key.created'?"))
        let all = try CommandRunner.run(["schema"])
        #expect(
            all.stdoutLines.first?.hasSuffix("documented event types (auditwatch schema TYPE for its fields):") == true)
    }

    @Test("rules list shows the types each rule reads and marks building blocks; rules coverage --types")
    func listAndCoverage() throws {
        let list = try CommandRunner.run(["rules", "list", "rules"])
        let failed = try #require(list.stdoutLines.first { $0.hasPrefix("login_failed ") })
        #expect(
            failed.contains(
                "reads: login.failed [building block of brute_force_user, brute_force_source_ip, password_spray]"))
        let brute = try #require(list.stdoutLines.first { $0.hasPrefix("brute_force_user ") })
        #expect(brute.hasSuffix("reads: login.failed"))
        let json = try CommandRunner.run(["rules", "list", "--format", "json", "rules"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { $0["id"] as? String == "login_failed" })
        #expect(row["event_types"] as? [String] == ["login.failed"])
        #expect((row["building_block_of"] as? [String])?.contains("brute_force_user") == true)
        let coverage = try CommandRunner.run(["rules", "coverage", "--types", "examples/rules-repo/rules"])
        #expect(coverage.status == 0)
        #expect(coverage.stdoutLines.contains("login.failed") && !coverage.stdoutLines.contains("invite.sent"))
        #expect(!coverage.stdoutLines.contains("api_key.created"))
    }

    @Test("the coverage report says how to cover a building block")
    func buildingBlockCoverage() throws {
        let outcome = try CommandRunner.run([
            "rules", "test", "--coverage", "--filter", "a key at 21:30",
            "examples/rules-repo/rules", "examples/rules-repo/tests",
        ])
        #expect(
            outcome.stdout.contains(
                "coverage: globex_key_created is a building block (it alerts only through "
                    + "globex_keys_in_bulk): a test makes it fire when one of its events matches it"),
            "\(outcome.stdout)")
    }
}
