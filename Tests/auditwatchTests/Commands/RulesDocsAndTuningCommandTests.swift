import AuditwatchTestSupport
import Foundation
import Testing

@Suite("auditwatch rules docs, and tuning the pack from the command line")
struct RulesDocsAndTuningCommandTests {
    @Test("docs/rules.md is the catalog of the shipped pack, current")
    func catalogIsCurrent() throws {
        let outcome = try CommandRunner.run(["rules", "docs", "rules"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let committed = try String(
            contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(outcome.stdout == committed, "docs/rules.md is stale: run make docs")
    }

    @Test("the catalog has a section per rule with its tests, and a row per documented event type")
    func catalogContents() throws {
        let outcome = try CommandRunner.run(["rules", "docs", "rules"])
        let listed = try CommandRunner.run(["rules", "list", "rules", "--format", "json"])
        let ids = listed.stdoutLines.compactMap { line -> String? in
            guard let range = line.range(of: "\"id\":\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(ids.count >= 60)
        for id in ids { #expect(outcome.stdout.contains("\n### \(id)\n"), "no section for \(id)") }
        #expect(
            outcome.stdout.contains(
                "| `tenant.session_revocation.started` | [session_revocation_started](#session_revocation_started) |"))
        #expect(outcome.stdout.contains("| `group.created` | — |"))
        #expect(
            outcome.stdout.contains(
                "- keys in three projects within an hour alert once, at the third (`rules/tests/api-keys.yml:"))
    }

    @Test("--placeholders fits the pack to an organization for file runs and rule tests")
    func placeholdersFlag() throws {
        let directory = try makeTemporaryDirectory("aw-placeholders")
        defer { try? FileManager.default.removeItem(at: directory) }
        let values = directory.appendingPathComponent("globex.yml")
        try "placeholders:\n  company_domains: [globex.example]\n".write(to: values, atomically: true, encoding: .utf8)
        let events = directory.appendingPathComponent("events.jsonl")
        try
            #"{"id":"i-1","type":"invite.sent","effective_at":1773752400,"actor":{"type":"session","session":{"user":{"email":"ann@globex.example"}}},"invite.sent":{"id":"inv-1","data":{"email":"pat@partner.example","role":"member"}}}"#
            .appending("\n").write(to: events, atomically: true, encoding: .utf8)
        let untuned = try CommandRunner.run(["run", "--rules", "rules", "--events", events.path])
        #expect(!untuned.stdout.contains("invite_outside_company_domains"))
        let tuned = try CommandRunner.run([
            "run", "--rules", "rules", "--events", events.path, "--placeholders", values.path,
        ])
        #expect(tuned.status == 0, "\(tuned.stderr)")
        #expect(
            tuned.stdout.contains(
                "invite_outside_company_domains  ann@globex.example invited pat@partner.example (member), outside the company's domains"
            ))
        let tests = try CommandRunner.run([
            "rules", "test", "--require-coverage", "--placeholders", values.path, "rules",
        ])
        #expect(tests.status == 0, "\(tests.stdout)")
        let broken = directory.appendingPathComponent("broken.yml")
        try "placeholders: [a, b]\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run([
            "run", "--rules", "rules", "--events", events.path, "--placeholders", broken.path,
        ])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("broken.yml:1:"))
    }

    @Test("auditwatch.yml: placeholders_file, calendars, disabled_rules and rule_levels reach backtest")
    func configTuning() throws {
        let directory = try makeTemporaryDirectory("aw-tuning")
        defer { try? FileManager.default.removeItem(at: directory) }
        try "placeholders:\n  company_domains: [globex.example]\n".write(
            to: directory.appendingPathComponent("lists.yml"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("auditwatch.yml")
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        placeholders_file: lists.yml
        calendars:
          business_hours: {location: America/New_York}
        disabled_rules: [invite_to_personal_email_domain]
        rule_levels: {invite_outside_company_domains: high}
        """.write(to: config, atomically: true, encoding: .utf8)
        let events = directory.appendingPathComponent("events.jsonl")
        try [
            #"{"id":"i-1","type":"invite.sent","effective_at":1773752400,"actor":{"type":"session","session":{"user":{"email":"ann@globex.example"}}},"invite.sent":{"id":"inv-1","data":{"email":"pat@gmail.com","role":"member"}}}"#,
            #"{"id":"k-1","type":"api_key.created","effective_at":1773741600,"actor":{"type":"session","session":{"user":{"email":"ann@globex.example"}}},"api_key.created":{"id":"key_1"}}"#,
            #"{"id":"k-2","type":"api_key.created","effective_at":1773774000,"actor":{"type":"session","session":{"user":{"email":"ann@globex.example"}}},"api_key.created":{"id":"key_2"}}"#,
        ]
        .joined(separator: "\n").appending("\n").write(to: events, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run([
            "backtest", "--config", config.path, "--events", events.path, "--threads", "1",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("HIGH          invite_outside_company_domains"))
        #expect(!outcome.stdout.contains("invite_to_personal_email_domain"))
        // 2026-03-17T10:00Z is 06:00 in New York (after hours); 19:00Z is 15:00 there (open).
        #expect(
            outcome.stdout.contains("api_key_created_outside_business_hours  ann@globex.example created API key key_1"))
        #expect(!outcome.stdout.contains("key_2"))
        try
            "rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]\ndisabled_rules: [invite_to_personal_email_domian]\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let typo = try CommandRunner.run(["backtest", "--config", config.path, "--events", events.path])
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains(
                "unknown rule 'invite_to_personal_email_domian'; did you mean 'invite_to_personal_email_domain'?"))
    }

    @Test(
        "examples/rules-repo: a team's filters and values applied to the shipped pack pass the pack's tests and their own"
    )
    func teamTuningOfThePack() throws {
        let paths = ["rules", "examples/rules-repo/pack-tuning"]
        let validated = try CommandRunner.run(
            ["rules", "validate", "--strict", "--placeholders", "examples/rules-repo/placeholders.yml"] + paths)
        #expect(validated.status == 0, "\(validated.stderr)")
        let tested = try CommandRunner.run(
            ["rules", "test", "--require-coverage", "--placeholders", "examples/rules-repo/placeholders.yml"] + paths)
        #expect(tested.status == 0, "\(tested.stdout)")
        #expect(
            tested.stdout.contains(
                "PASS  the on-call engineer's night-time key is quiet; a colleague's still alerts (New York hours)"))
        // Without the team's values its invitation test fails: the pack's default lets every domain in.
        let untuned = try CommandRunner.run(["rules", "test", "--filter", "Globex's domains"] + paths)
        #expect(untuned.status == 1)
    }
}
