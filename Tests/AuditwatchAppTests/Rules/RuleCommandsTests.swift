import AuditwatchApp
import AuditwatchTestSupport
import Foundation
import Testing

/// `rules validate`, `explain`, `schema` and `init` in process: their output and typed errors.
@Suite struct RuleCommandsTests {
    @Test func validateCountsThePack() throws {
        let captured = CapturedSink()
        var validation = RuleValidation(paths: [Repository.path("rules")])
        validation.strict = true
        validation.sink = captured.sink
        try validation.run(out: CapturedLines())
        #expect(captured.lines.count == 1)
        #expect(captured.lines[0].hasPrefix("auditwatch: ") && captured.lines[0].hasSuffix(" OK, 0 warnings"))
    }

    @Test func validateAsJSONWritesOneArray() throws {
        var validation = RuleValidation(paths: [Repository.path("rules")])
        validation.format = .json
        let captured = CapturedSink()
        validation.sink = captured.sink
        let out = CapturedLines()
        try validation.run(out: out)
        #expect(out.lines == ["[]"])
        #expect(captured.lines.isEmpty)
    }

    @Test func explainNamesAnUnknownRuleWithItsExitStatus() {
        var explanation = Explanation(rule: "no_such_rule", events: Repository.path("examples/logs/acme-day.jsonl"))
        explanation.rules = [Repository.path("rules")]
        explanation.sink = CapturedSink().sink
        #expect {
            try explanation.run(out: CapturedLines())
        } throws: { error in
            guard let error = error as? AppError, case .usage(let message) = error else { return false }
            return error.exitCode == 2 && message.hasPrefix("no rule or correlation 'no_such_rule'")
        }
    }

    @Test func explainEveryRuleAgainstEachEvent() throws {
        var explanation = Explanation(rule: nil, events: Repository.path("examples/logs/acme-day.jsonl"))
        explanation.rules = [Repository.path("rules")]
        explanation.sink = CapturedSink().sink
        let out = CapturedLines()
        try explanation.run(out: out)
        #expect(out.lines.filter { $0.hasPrefix("event ") }.count == 280)
    }

    @Test func schemaLookups() throws {
        let out = CapturedLines()
        try SchemaQuery.fields(of: "api_key.created", out: out)
        #expect(out.lines.first == "api_key.created")
        #expect {
            try SchemaQuery.fields(of: "api_key.creatd", out: CapturedLines())
        } throws: { error in
            guard let error = error as? AppError, case .failure(let message) = error else { return false }
            return error.exitCode == 1 && message.contains("'api_key.creatd' is not a documented event type")
        }
    }

    @Test func initWritesOnceThenRefuses() throws {
        let directory = try makeTemporaryDirectory("app-init")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = CapturedLines()
        try ProjectInit(directory: directory.path, force: false).run(out: out)
        #expect(out.lines.filter { $0.hasPrefix("created ") }.count == StarterProject.files.count)
        #expect {
            try ProjectInit(directory: directory.path, force: false).run(out: CapturedLines())
        } throws: { error in
            guard let error = error as? AppError, case .failure(let message) = error else { return false }
            return error.exitCode == 1 && message.hasSuffix("nothing was written (--force overwrites)")
        }
        try ProjectInit(directory: directory.path, force: true).run(out: CapturedLines())
    }
}
