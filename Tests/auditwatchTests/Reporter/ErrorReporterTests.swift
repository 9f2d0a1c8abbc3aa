import ArgumentParser
import AuditwatchApp
import AuditwatchCore
import Synchronization
import Testing

@testable import auditwatch

/// The CLI in process: options and `validate()` of the commands, and the one reporter that
/// turns every `AppError` into what the user reads and the exit status.
@Suite struct ErrorReporterTests {
    @Test func reporterSaysTheErrorAndReturnsItsStatus() {
        let said = Mutex<[String]>([])
        let sink = DiagnosticSink(
            report: { diagnostics, _ in said.withLock { $0 += diagnostics.map(\.message) } },
            note: { _, text in said.withLock { $0.append(text) } })
        let reporter = ErrorReporter(sink: sink)
        #expect(reporter.report(.usage("no notifier 'x' in c.yml")) == 2)
        #expect(reporter.report(.state("no state file at s")) == 1)
        #expect(reporter.report(.verdict) == 1)
        #expect(
            said.withLock { $0 } == ["auditwatch: no notifier 'x' in c.yml", "auditwatch: error: no state file at s"])
    }

    @Test func commandsValidateTheirOptions() throws {
        #expect(throws: (any Error).self) { try Auditwatch.Rules.Diff.parse(["--base", "main", "--against", "old"]) }
        #expect(throws: (any Error).self) { try Auditwatch.Run.parse([]) }
        #expect(throws: (any Error).self) { try Auditwatch.Backtest.parse(["--events", "e", "--threads", "3"]) }
        let run = try Auditwatch.Run.parse(["--events", "e.jsonl", "--lateness", "2m", "--output", "jsonl"])
        #expect(run.settings.engine.lateness == 120)
        #expect(run.settings.output == .jsonl)
        let test = try Auditwatch.Rules.Test.parse(["--format", "github", "rules"])
        #expect(test.format == .github && test.paths == ["rules"])
    }

    @Test func commandNamesStayAsUsersScriptThem() {
        let names = Auditwatch.configuration.subcommands.map { $0.configuration.commandName }
        #expect(
            names == [
                "run", "rules", "schema", "alerts", "notify", "fetch", "backtest", "check", "reload", "generate",
                "init", "config", "migrate", "silence", "cluster",
            ])
        let rules = Auditwatch.Rules.configuration.subcommands.map { $0.configuration.commandName }
        #expect(rules == ["validate", "list", "explain", "test", "diff", "docs", "coverage"])
    }
}
