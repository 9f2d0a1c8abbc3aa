import AuditwatchTestSupport
import Foundation
import Testing

@Suite("rules diff on a real repository")
struct RulesDiffRepositoryTests {
    private func diff(_ arguments: [String], in directory: URL) throws -> Shell.Outcome {
        try Shell.run([CommandRunner.binary.path, "rules", "diff"] + arguments, in: directory)
    }

    @Test("--format markdown on the threshold change is a table a reviewer reads without running anything")
    func markdownGolden() throws {
        let repository = try RulesRepository.thresholdChange()
        defer { try? FileManager.default.removeItem(at: repository.work.deletingLastPathComponent()) }
        let outcome = try diff(
            ["--base", "origin/main", "--format", "markdown", "rules", "tests"], in: repository.work)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        try Snapshot.check(outcome.stdout, named: "rules-diff-threshold.md")
    }

    @Test("from a subdirectory, over several paths, with fixture logs and inline events of every test")
    func subdirectoryAndSeveralPaths() throws {
        let repository = try RulesRepository.thresholdChange()
        defer { try? FileManager.default.removeItem(at: repository.work.deletingLastPathComponent()) }
        // The silent test now holds one key per project; make it two again so inline events fire.
        try RulesRepository.edit(
            repository.work.appendingPathComponent("tests/api-keys.yml"),
            "project: {id: proj_b}}", "project: {id: proj_a}}")
        let rules = repository.work.appendingPathComponent("rules")
        let outcome = try diff(["--base", "origin/main", ".", "../tests"], in: rules)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.components(separatedBy: "\n")
        #expect(lines.contains { $0.hasPrefix("~ 2026-03-18T01:30:00Z MEDIUM") && $0.contains("globex_keys_in_bulk") })
        #expect(
            lines.contains(
                "    count 3 → 2; at 2026-03-18T02:00:00Z → 2026-03-18T01:30:00Z; events -ny-6; "
                    + "summary was \"3 API keys created in project proj_ny within 1d\""), "\(outcome.stdout)")
        #expect(lines.contains("../tests/fixtures/new-york-day.jsonl: 3 alert(s) before, 3 after"), "\(outcome.stdout)")
        // The inline events of the test (in ../tests) are a log of their own.
        #expect(
            lines.contains(
                "../tests/api-keys.yml:13 (one key in a project does not alert): 0 alert(s) before, 1 after"),
            "\(outcome.stdout)")
        #expect(lines.last { !$0.isEmpty } == "1 added, 0 removed, 1 changed")
    }

    @Test("a base revision without the path counts as no rules: every alert is added")
    func baseLacksThePath() throws {
        let repository = try RulesRepository.thresholdChange()
        defer { try? FileManager.default.removeItem(at: repository.work.deletingLastPathComponent()) }
        let work = repository.work
        try RulesRepository.git(["checkout", "-q", "--orphan", "empty"], in: work)
        try RulesRepository.git(["rm", "-rq", "--cached", "."], in: work)
        try "# rules to come\n".write(to: work.appendingPathComponent("NOTES.md"), atomically: true, encoding: .utf8)
        try RulesRepository.git(["add", "NOTES.md"], in: work)
        try RulesRepository.git(["commit", "-q", "-m", "an empty repository"], in: work)
        let outcome = try diff(["--base", "empty~0", "--exit-code", "rules", "tests"], in: work)
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(
            outcome.stdout.contains("tests/fixtures/new-york-day.jsonl: 0 alert(s) before, 3 after"),
            "\(outcome.stdout)")
        #expect(outcome.stdout.contains("+ 2026-03-18T01:30:00Z MEDIUM        globex_key_after_hours"))
    }

    @Test("git's errors come back as a sentence: an unknown revision, not a repository")
    func gitErrors() throws {
        let repository = try RulesRepository.thresholdChange()
        defer { try? FileManager.default.removeItem(at: repository.work.deletingLastPathComponent()) }
        let unknown = try diff(["--base", "origin/mian", "rules"], in: repository.work)
        #expect(unknown.status == 2)
        #expect(
            unknown.stderr.contains(
                "auditwatch: --base origin/mian: git knows no such revision here. "
                    + "Name a branch, tag or commit; in CI, fetch it first (actions/checkout with fetch-depth: 0)"),
            "\(unknown.stderr)")
        let outside = try makeTemporaryDirectory("aw-not-git")
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.copyItem(
            at: repository.work.appendingPathComponent("rules"), to: outside.appendingPathComponent("rules"))
        let noRepository = try diff(["--base", "main", "rules"], in: outside)
        #expect(noRepository.status == 2)
        #expect(noRepository.stderr.contains("needs a git repository"), "\(noRepository.stderr)")
        #expect(!noRepository.stderr.contains("fatal:"))
    }
}
