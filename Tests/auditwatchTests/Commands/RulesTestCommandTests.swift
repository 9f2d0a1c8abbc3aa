import AuditwatchTestSupport
import Foundation
import Testing

/// A copy of the shipped rules (and the example log the tests read) in a temporary folder.
private func copyOfPack() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("aw-pack-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
        at: root.appendingPathComponent("examples"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: CommandRunner.repositoryRoot.appendingPathComponent("rules"), to: root.appendingPathComponent("rules"))
    try FileManager.default.copyItem(
        at: CommandRunner.repositoryRoot.appendingPathComponent("examples/logs"),
        to: root.appendingPathComponent("examples/logs"))
    return root
}

private func edit(_ file: URL, _ old: String, _ new: String) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old), "the edit target is gone from \(file.lastPathComponent)")
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
}

@Suite("auditwatch rules test")
struct RulesTestCommandTests {
    @Test("the shipped pack passes with full coverage, in well under a second")
    func shippedPack() throws {
        let outcome = try CommandRunner.run(["rules", "test", "--require-coverage", "rules"])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdoutLines.last?.hasSuffix("passed, 0 failed") == true)
        #expect(
            outcome.stdoutLines.contains {
                $0.hasPrefix("PASS  a burst of failures for one user is one alert at the fifth")
            })
    }

    @Test("a changed threshold makes a test fail and shows what differs")
    func changedThreshold() throws {
        let pack = try copyOfPack()
        try edit(
            pack.appendingPathComponent("rules/credential-access/login_failed.yml"), "  condition: {gte: 5}",
            "  condition: {gte: 6}")
        let outcome = try CommandRunner.run(["rules", "test", pack.appendingPathComponent("rules").path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL  a burst of failures for one user is one alert at the fifth"))
        #expect(
            outcome.stdout.contains(
                "missing: rule brute_force_user, group {actor.email: dana@acme.example}, at 2026-03-17T03:14:05Z")
                == false)
        #expect(
            outcome.stdout.contains(
                "missing: rule brute_force_user, group {actor.email: dana@acme.example}, at 2026-03-17T03:13:40Z, count 5"
            ))
        #expect(
            outcome.stdout.contains(
                "closest actual: unexpected alert 1 below\n            at: expected 2026-03-17T03:13:40Z, got 2026-03-17T03:14:05Z\n            count: expected 5, got 6"
            ))
        #expect(
            outcome.stdout.contains(
                "unexpected alert 1:\n          rule brute_force_user, group {actor.email: dana@acme.example}, at 2026-03-17T03:14:05Z, count 6"
            ))
        #expect(outcome.stdout.contains("event f-6: login.failed at 2026-03-17T03:14:05Z"))
    }

    @Test("a dropped selection makes a test fail with the unexpected alert")
    func droppedSelection() throws {
        let pack = try copyOfPack()
        try edit(
            pack.appendingPathComponent("rules/projects/project_archived_by_service_account.yml"),
            "  condition: removal and by_service_account", "  condition: removal")
        let outcome = try CommandRunner.run(["rules", "test", pack.appendingPathComponent("rules").path])
        #expect(outcome.status == 1)
        #expect(
            outcome.stdout.contains(
                "FAIL  a service account archiving a project alerts; a person archiving one does not"))
        #expect(outcome.stdout.contains("unexpected alert 1:"))
        #expect(outcome.stdout.contains("event ar-2: project.archived"))
    }

    @Test("mistakes in a test file are located diagnostics, not crashes")
    func testFileMistakes() throws {
        let pack = try copyOfPack()
        try """
        tests:
          - name: names a rule that does not exist
            rules: [brute_force_usr]
            events: []
            expect: []
          - name: has a bad time
            events:
              - {type: login.failed, effective_at: "yesterday at noon"}
            expect: []
          - name: reads a missing fixture
            events: fixtures/nope.jsonl
            expect: []
          - name: expects an unknown rule
            events: []
            expect: [{rule: scim_disabledd}]
        """.write(to: pack.appendingPathComponent("rules/tests/broken.yml"), atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["rules", "test", pack.appendingPathComponent("rules").path])
        #expect(outcome.status == 1)
        let text = outcome.stdout
        #expect(
            text.contains("broken.yml:3:")
                && text.contains("the test names unknown rule 'brute_force_usr'; did you mean 'brute_force_user'?"))
        #expect(text.contains("broken.yml:8:") && text.contains("'yesterday at noon' is not a time"))
        #expect(text.contains("broken.yml:11:") && text.contains("fixture 'fixtures/nope.jsonl' does not exist"))
        #expect(
            text.contains("broken.yml:15:")
                && text.contains("unknown rule 'scim_disabledd'; did you mean 'scim_disabled'?"))
        // Four tests, four failures: tests are counted, not their mistakes.
        let pristine = try CommandRunner.run(["rules", "test", "rules"]).stdoutLines.last ?? ""
        #expect(outcome.stdoutLines.last == pristine.replacingOccurrences(of: ", 0 failed", with: ", 4 failed"))
        #expect(outcome.stdout.contains("FAIL  has a bad time"))
    }

    @Test("--filter selects tests; --junit writes JUnit XML; --format json is machine-readable")
    func filterJUnitJSON() throws {
        let directory = try makeTemporaryDirectory("aw-junit")
        let junit = directory.appendingPathComponent("report.xml").path
        let outcome = try CommandRunner.run(["rules", "test", "--filter", "spray", "--junit", junit, "rules"])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutLines.last == "1 passed, 0 failed")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(
            xml.contains(
                "<testsuite name=\"rules/tests/credential-access.yml\" package=\"rules/tests/credential-access.yml\" id=\"0\" tests=\"1\" failures=\"0\" errors=\"0\""
            ))
        #expect(
            xml.contains(
                "<testcase classname=\"rules/tests/credential-access.yml\" name=\"one address failing as eight users"))
        let json = try CommandRunner.run(["rules", "test", "--format", "json", "--coverage", "rules"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["tests"] as? [[String: Any]])?.allSatisfy { $0["passed"] as? Bool == true } == true)
        #expect(((object["coverage"] as? [String: Any])?["never_fired"] as? [String])?.isEmpty == true)
    }
}

@Suite("rules diff and the example rules repository")
struct RulesDiffTests {
    @Test("rules diff shows a group whose threshold moved as one changed alert, and says what changed")
    func diffAgainstDirectory() throws {
        let pack = try copyOfPackForDiff()
        let file = pack.appendingPathComponent("rules/credential-access/login_failed.yml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "  condition: {gte: 5}", with: "  condition: {gte: 4}").write(
            to: file, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run([
            "rules", "diff", "--against", "rules", "--events", "examples/logs/acme-day.jsonl", "--exit-code",
            pack.appendingPathComponent("rules").path,
        ])
        #expect(outcome.status == 1)
        #expect(
            outcome.stdout.contains(
                "~ 2026-03-17T03:13:15Z HIGH          brute_force_user  4 failed sign-ins for dana@acme.example"))
        #expect(outcome.stdout.contains("    count 5 → 4; at 2026-03-17T03:13:40Z → 2026-03-17T03:13:15Z;"))
        #expect(outcome.stdout.contains("~ 2026-03-17T03:16:40Z CRITICAL      failures_then_success"))
        #expect(outcome.stdoutLines.last == "0 added, 0 removed, 2 changed")
        let same = try CommandRunner.run(["rules", "diff", "--against", "rules", "--exit-code", "rules"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdoutLines.last == "0 added, 0 removed, 0 changed")
    }

    @Test("rules diff --base reads the rules of a git revision")
    func diffAgainstRevision() throws {
        let outcome = try CommandRunner.run(["rules", "diff", "--base", "HEAD", "rules"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutLines.last?.hasSuffix("changed") == true)
        let bad = try CommandRunner.run(["rules", "diff", "--base", "no-such-revision-xyz", "rules"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("auditwatch: --base no-such-revision-xyz: git knows no such revision here"))
    }

    @Test("the example rules repository validates strictly and passes its tests with full coverage")
    func exampleRepository() throws {
        let paths = ["examples/rules-repo/rules", "examples/rules-repo/tests"]
        let validate = try CommandRunner.run(["rules", "validate", "--strict"] + paths)
        #expect(validate.status == 0, "\(validate.stderr)")
        let test = try CommandRunner.run(["rules", "test", "--require-coverage"] + paths)
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdoutLines.last == "4 passed, 0 failed")
    }
}

private func copyOfPackForDiff() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("aw-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: CommandRunner.repositoryRoot.appendingPathComponent("rules"), to: root.appendingPathComponent("rules"))
    return root
}

@Suite("rules test: inline tests and coverage gaps")
struct InlineTestsAndCoverage {
    @Test("a rule may carry its own tests; coverage names what no test exercises")
    func inlineAndGaps() throws {
        let directory = try makeTemporaryDirectory("aw-inline")
        try """
        title: Tested inline
        id: inline_rule
        level: low
        detection:
          s: {type: scim.disabled}
          condition: s
        tests:
          - name: fires on scim.disabled
            events: [{id: e1, type: scim.disabled, effective_at: 100}, {id: e2, type: scim.enabled, effective_at: 101}]
            expect: [{rule: inline_rule, events: [e1]}]
        ---
        title: Untested
        id: untested_rule
        level: low
        detection:
          s: {type: invite.sent}
          condition: s
        """.write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let plain = try CommandRunner.run(["rules", "test", "--coverage", directory.path])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("PASS  fires on scim.disabled"))
        #expect(plain.stdout.contains("coverage: 1 rule(s) no test makes fire: untested_rule"))
        #expect(plain.stdout.contains("coverage: 1 rule(s) no test proves silent: untested_rule"))
        let required = try CommandRunner.run(["rules", "test", "--require-coverage", directory.path])
        #expect(required.status == 1)
    }
}
