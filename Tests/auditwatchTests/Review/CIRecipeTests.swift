import AuditwatchTestSupport
import Foundation
import Testing

/// The steps of a GitHub Actions workflow that run shell commands: name, `if:`, and the script.
private struct WorkflowStep {
    var name: String
    var condition: String?
    var script: String

    /// Reads `- name:` steps and their `run:` (inline or a `|` block). The recipe is ours; this
    /// reads the subset of YAML it uses, and fails the test when a step cannot be read.
    static func steps(of text: String) -> [WorkflowStep] {
        var steps: [WorkflowStep] = []
        let lines = text.components(separatedBy: "\n")
        var index = 0
        var current: WorkflowStep?
        func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- ") {
                if let current, !current.script.isEmpty { steps.append(current) }
                current = WorkflowStep(name: "", condition: nil, script: "")
            }
            let field = trimmed.hasPrefix("- ") ? String(trimmed.dropFirst(2)) : trimmed
            if field.hasPrefix("name: ") { current?.name = String(field.dropFirst(6)) }
            if field.hasPrefix("if: ") { current?.condition = String(field.dropFirst(4)) }
            if field == "run: |" {
                let outer = indentation(line)
                var block: [String] = []
                index += 1
                while index < lines.count,
                    lines[index].trimmingCharacters(in: .whitespaces).isEmpty
                        || indentation(lines[index]) > outer
                {
                    block.append(lines[index])
                    index += 1
                }
                let inner =
                    block.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(indentation).min() ?? 0
                current?.script = block.map { String($0.dropFirst(min(inner, indentation($0)))) }.joined(
                    separator: "\n")
                continue
            } else if field.hasPrefix("run: ") {
                current?.script = String(field.dropFirst(5))
            }
            index += 1
        }
        if let current, !current.script.isEmpty { steps.append(current) }
        return steps
    }
}

@Suite("the CI recipe (examples/ci/github-actions.yml)")
struct CIRecipeTests {
    let recipe = CommandRunner.repositoryRoot.appendingPathComponent("examples/ci/github-actions.yml")

    @Test("its commands, as written, pass on examples/rules-repo and summarize a threshold change")
    func recipeOnThresholdChange() throws {
        let repository = try RulesRepository.thresholdChange()
        defer { try? FileManager.default.removeItem(at: repository.work.deletingLastPathComponent()) }
        let text = try String(contentsOf: recipe, encoding: .utf8)
        let steps = WorkflowStep.steps(of: text)
        let names = steps.map(\.name)
        for expected in ["Validate (annotations on the changed lines)", "Test with coverage", "What this change does"] {
            #expect(names.contains(expected), "the recipe lost its step '\(expected)'")
        }
        let summary = repository.work.appendingPathComponent("step-summary.md")
        let environment = [
            "PATH": CommandRunner.binary.deletingLastPathComponent().path + ":"
                + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "GITHUB_STEP_SUMMARY": summary.path,
            "AUDITWATCH_VERSION": "0.1.0",
        ]
        // Installing auditwatch is the machine's business here (the release tarball has its own
        // tests); every step that runs auditwatch runs as GitHub runs it (bash -eo pipefail).
        for step in steps where !step.name.hasPrefix("Install auditwatch") {
            let script = step.script.replacingOccurrences(of: "${{ github.base_ref }}", with: "main")
            #expect(!script.contains("${{"), "step '\(step.name)' uses an expression this test does not provide")
            let outcome = try Shell.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                in: repository.work, environment: environment)
            #expect(
                outcome.status == 0, "step '\(step.name)' exited \(outcome.status):\n\(outcome.stdout)\(outcome.stderr)"
            )
            #expect(!outcome.stdout.contains("::error"), "step '\(step.name)' annotated an error: \(outcome.stdout)")
        }
        let junit = try String(contentsOf: repository.work.appendingPathComponent("rule-tests.xml"), encoding: .utf8)
        #expect(junit.contains("<testsuites") && junit.contains("failures=\"0\""))
        let comment = try String(contentsOf: summary, encoding: .utf8)
        #expect(comment.contains("**0 added, 0 removed, 1 changed**"), "\(comment)")
        #expect(comment.contains("| ~ | `tests/fixtures/new-york-day.jsonl` | `project.id: proj_ny` |"), "\(comment)")
        #expect(comment.contains("count 3 → 2"), "\(comment)")
    }
}
