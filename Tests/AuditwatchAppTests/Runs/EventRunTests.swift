import AuditwatchApp
import AuditwatchCore
import AuditwatchSources
import AuditwatchTestSupport
import Foundation
import Testing

/// `run --events` in process: the example day's alerts, input problems, rule errors, a state file.
@Suite struct EventRunTests {
    private func settings(_ events: String, rules: [String] = [Repository.path("rules")]) -> RunSettings {
        var settings = RunSettings(events: events)
        settings.rules = rules
        return settings
    }

    @Test func exampleDayRaisesItsAlerts() throws {
        let captured = CapturedSink()
        let out = CapturedLines()
        try EventRun(settings(Repository.path("examples/logs/acme-day.jsonl")), sink: captured.sink).run(out: out)
        #expect(out.lines.count == 25)
        #expect(
            captured.lines.last
                == "auditwatch: 280 events read, 0 skipped, 25 alerts (critical 1, high 14, medium 9, low 1)")
    }

    @Test func jsonlOutputIsOneObjectPerAlert() throws {
        var run = settings(Repository.path("examples/logs/acme-day.jsonl"))
        run.output = .jsonl
        let out = CapturedLines()
        try EventRun(run, sink: CapturedSink().sink).run(out: out)
        #expect(out.lines.count == 25)
        #expect(out.lines.allSatisfy { $0.hasPrefix("{\"id\":\"aw_") })
    }

    @Test func malformedLineIsSkippedThenStopsUnderStrict() throws {
        let directory = try makeTemporaryDirectory("app-run")
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = directory.appendingPathComponent("bad.jsonl").path
        try "{\"id\":\"x\",\"type\":\"api_key.created\",\"effective_at\":1}\nnot json\n"
            .write(toFile: events, atomically: true, encoding: .utf8)
        let captured = CapturedSink()
        try EventRun(settings(events), sink: captured.sink).run(out: CapturedLines())
        #expect(captured.lines.first?.hasPrefix("\(events):2:1: warning: malformed JSON") == true)
        #expect(captured.lines.last == "auditwatch: 1 event read, 1 skipped, 0 alerts")

        var strict = settings(events)
        strict.strict = true
        #expect {
            try EventRun(strict, sink: CapturedSink().sink).run(out: CapturedLines())
        } throws: { error in
            guard case .input(let problem) = error as? AppError else { return false }
            return problem.line == 2 && (error as! AppError).exitCode == 1
        }
    }

    @Test func ruleErrorsStopTheRunLocated() throws {
        let directory = try makeTemporaryDirectory("app-run")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rule = directory.appendingPathComponent("bad.yml").path
        try
            "title: t\nid: r1\nlogsource: {product: openai}\ndetection:\n  sel: {type: api_key.created}\n  condition: sell\n"
            .write(toFile: rule, atomically: true, encoding: .utf8)
        let out = CapturedLines()
        #expect {
            try EventRun(
                settings(Repository.path("examples/logs/acme-day.jsonl"), rules: [rule]), sink: CapturedSink().sink
            )
            .run(out: out)
        } throws: { error in
            guard let error = error as? AppError, case .diagnostics(let findings) = error else { return false }
            let captured = CapturedSink()
            captured.sink.emit(findings)
            return error.exitCode == 2 && findings.diagnostics.map(\.message).contains { $0.contains("'sell'") }
                && captured.lines.last == "auditwatch: 1 error in the rules; nothing was run"
        }
        #expect(out.lines.isEmpty)
    }

    @Test func stateFileNeverRaisesAnAlertTwice() throws {
        let directory = try makeTemporaryDirectory("app-run")
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = settings(Repository.path("examples/logs/acme-day.jsonl"))
        run.state = directory.appendingPathComponent("state.sqlite").path
        let first = CapturedLines(), second = CapturedLines()
        try EventRun(run, sink: CapturedSink().sink).run(out: first)
        let captured = CapturedSink()
        try EventRun(run, sink: captured.sink).run(out: second)
        #expect(first.lines.count == 25)
        #expect(second.lines.isEmpty)
        #expect(captured.lines.last == "auditwatch: 0 events read, 0 skipped, 0 alerts")
    }

    @Test func backtestTalliesPerRule() throws {
        let captured = CapturedSink()
        let out = CapturedLines()
        for threads in [1, 2] {
            var backtest = Backtest(
                input: .file(Repository.path("examples/logs/acme-day.jsonl"), threads: threads), config: nil)
            backtest.rules = [Repository.path("rules")]
            backtest.sink = captured.sink
            try backtest.run(out: out)
        }
        #expect(out.lines.count == 50)
        #expect(Array(out.lines[..<25]) == Array(out.lines[25...]))
        #expect(captured.lines.first == "auditwatch: backtest over 280 events: 25 alerts would have been raised")
    }

    @Test func missingEventsFileIsAnInputError() {
        var backtest = Backtest(input: .file("/nonexistent/events.jsonl", threads: 1), config: nil)
        backtest.rules = [Repository.path("rules")]
        backtest.sink = CapturedSink().sink
        #expect {
            try backtest.run(out: CapturedLines())
        } throws: { error in
            guard case .input(let problem) = error as? AppError else { return false }
            return problem.message.contains("cannot open event file")
        }
    }
}
