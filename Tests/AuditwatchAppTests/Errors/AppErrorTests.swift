import AuditwatchApp
import AuditwatchCore
import AuditwatchSources
import Testing

/// Each error's exit status and what the reporter shows for it.
@Suite struct AppErrorTests {
    @Test func exitCodes() {
        #expect(AppError.diagnostics(Findings()).exitCode == 2)
        #expect(AppError.usage("x").exitCode == 2)
        #expect(AppError.setup("x").exitCode == 2)
        #expect(AppError.input(InputProblem(file: "f", line: 1, column: nil, message: "m")).exitCode == 1)
        #expect(AppError.state("x").exitCode == 1)
        #expect(AppError.source("x").exitCode == 1)
        #expect(AppError.failure("x").exitCode == 1)
        #expect(AppError.verdict.exitCode == 1)
        #expect(AppError.reported(exitCode: 2).exitCode == 2)
    }

    @Test func findingsAreTheLinesUsersRead() {
        let captured = CapturedSink()
        captured.sink.emit(AppError.state("no state file at x").findings)
        captured.sink.emit(AppError.usage("no notifier 'a' in c.yml").findings)
        captured.sink.emit(AppError.input(InputProblem(file: "e.jsonl", line: 3, column: 2, message: "bad")).findings)
        captured.sink.emit(AppError.verdict.findings)
        #expect(
            captured.lines == [
                "auditwatch: error: no state file at x", "auditwatch: no notifier 'a' in c.yml",
                "e.jsonl:3:2: error: bad",
            ])
    }
}
