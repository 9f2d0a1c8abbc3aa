import AuditwatchTestSupport
import Foundation
import Testing

/// A rules folder whose one rule has seven warnings, and an event it fires on.
private func rulesWithWarnings(_ directory: URL, count: Int = 7) throws -> (rules: String, events: String) {
    let rules = directory.appendingPathComponent("rules")
    try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
    let fields = (1...count).map { "    actor.sesion.field\($0)|exists: false\n" }.joined()
    try """
    title: Failed login with warnings
    id: noisy
    level: low
    logsource: {product: openai, service: audit_log}
    detection:
      sel:
        type: login.failed
    \(fields)  condition: sel
    tests:
      - name: fires on a failed login
        events: [{id: e1, type: login.failed, effective_at: 100}]
        expect: [{rule: noisy, events: [e1]}]

    """.write(to: rules.appendingPathComponent("noisy.yml"), atomically: true, encoding: .utf8)
    let events = directory.appendingPathComponent("events.jsonl")
    try #"{"id": "e1", "type": "login.failed", "effective_at": 100}"#.write(
        to: events, atomically: true, encoding: .utf8)
    return (rules.path, events.path)
}

/// Checks the summary every command prints: the count, then the first five, rendered.
private func expectSummary(
    _ stderr: String, _ command: String, count: Int = 7, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        stderr.contains(
            "auditwatch: the rules have \(count) warnings (the first 5; `auditwatch rules validate` lists them all):"),
        "\(command): \(stderr)", sourceLocation: sourceLocation)
    let rendered = stderr.components(separatedBy: "\n").filter {
        $0.contains("noisy.yml:") && $0.contains(": warning: ")
    }
    #expect(rendered.count == 5, "\(command): \(rendered)", sourceLocation: sourceLocation)
    #expect(
        rendered.first?.contains("noisy.yml:8:5: warning: no documented event type carries 'actor.sesion.field1'")
            == true, "\(command)", sourceLocation: sourceLocation)
    #expect(stderr.contains("    ^"), "\(command): the renderer's caret", sourceLocation: sourceLocation)
    #expect(
        stderr.components(separatedBy: "the rules have").count == 2, "\(command): said once",
        sourceLocation: sourceLocation)
}

/// The same summary in a service's JSON log: one line for the count, one `diagnostic` line per warning shown.
private func expectJSONSummary(
    _ stderr: String, _ command: String, count: Int = 7, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        stderr.contains(
            "\"msg\":\"the rules have \(count) warnings (the first 5; `auditwatch rules validate` lists them all):\""),
        "\(command): \(stderr)",
        sourceLocation: sourceLocation)
    let shown = stderr.components(separatedBy: "\n").filter {
        $0.contains("\"event\":\"diagnostic\"") && $0.contains("\"severity\":\"warning\"") && $0.contains("noisy.yml:")
    }
    #expect(shown.count == 5, "\(command): \(shown)", sourceLocation: sourceLocation)
    #expect(
        shown.first?.contains("\"msg\":\"no documented event type carries 'actor.sesion.field1'") == true,
        "\(command): \(shown)", sourceLocation: sourceLocation)
    #expect(shown.first?.contains("noisy.yml:8:5\"") == true, "\(command): \(shown)", sourceLocation: sourceLocation)
    #expect(
        stderr.components(separatedBy: "the rules have").count == 2, "\(command): said once",
        sourceLocation: sourceLocation)
}

@Suite("Load warnings are printed by every command that loads rules")
struct LoadWarningsCommandTests {
    @Test("run, backtest, rules test, rules explain, rules diff and rules list print the count and the first five")
    func everyCommand() throws {
        let directory = try makeTemporaryDirectory("aw-warnings")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (rules, events) = try rulesWithWarnings(directory)
        let commands: [[String]] = [
            ["run", "--rules", rules, "--events", events],
            ["backtest", "--rules", rules, "--events", events],
            ["rules", "test", rules],
            ["rules", "explain", "noisy", "--rules", rules, "--event", events],
            ["rules", "diff", "--against", rules, "--events", events, rules],
            ["rules", "list", rules],
        ]
        for command in commands {
            let outcome = try CommandRunner.run(command)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
            expectSummary(outcome.stderr, command.prefix(2).joined(separator: " "))
        }
        // rules validate lists every warning, as before.
        let validate = try CommandRunner.run(["rules", "validate", rules])
        #expect(validate.stderr.components(separatedBy: ": warning: ").count == 8)
        #expect(!validate.stderr.contains("the rules have"))
    }

    @Test("one warning is said in the singular, in full")
    func oneWarning() throws {
        let directory = try makeTemporaryDirectory("aw-warning")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (rules, events) = try rulesWithWarnings(directory, count: 1)
        let outcome = try CommandRunner.run(["run", "--rules", rules, "--events", events])
        #expect(outcome.stderr.contains("auditwatch: the rules have 1 warning:\n"), "\(outcome.stderr)")
    }
}

@Suite("The service: load warnings, and deep rules on reload", .serialized)
struct ServiceLoadTests {
    @Test("the service prints the warnings at start and on reload, and survives reloading deeply nested rules")
    func warningsAndDeepReloads() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let directory = try makeTemporaryDirectory("aw-service-load")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (rules, _) = try rulesWithWarnings(directory)
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(rules)]
        state: \(directory.appendingPathComponent("state.sqlite").path)
        logging: {format: json}
        sources:
          acme: {admin_key: "${ACME_KEY}", base_url: \(standIn.baseURL), poll_interval: 1s, start: 1h}
        notifiers:
          console: {type: stdout}
        default_notifiers: [console]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = ["run", "--config", config]
        var environment = ProcessInfo.processInfo.environment
        environment["ACME_KEY"] = standIn.adminKey
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stderr = OutputCollector(err)
        _ = OutputCollector(out)
        try process.run()
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }

        #expect(stderr.wait { $0.contains("\"msg\":\"started\"") }, "\(stderr.text)")
        expectJSONSummary(stderr.text, "service start")

        var reloads = 0
        for deep in DeepRules.cases {
            try deep.text.write(toFile: rules + "/deep.yml", atomically: true, encoding: .utf8)
            let reload = try CommandRunner.run(["reload", "--config", config])
            #expect(reload.status == 1, "\(deep.name): the reload is refused: \(reload.stderr)")
            #expect(reload.stderr.contains(deep.message), "\(deep.name)")
            reloads += 1
            #expect(stderr.wait { $0.components(separatedBy: "reload failed").count == reloads + 1 }, "\(deep.name)")
            #expect(stderr.text.contains(deep.message), "\(deep.name)")
            #expect(process.isRunning, "\(deep.name): the service must survive the reload")
        }
        try FileManager.default.removeItem(atPath: rules + "/deep.yml")
        let reload = try CommandRunner.run(["reload", "--config", config])
        #expect(reload.status == 0)
        #expect(stderr.wait { $0.contains("\"msg\":\"reloaded\"") }, "\(stderr.text.suffix(2000))")
        // Warned at start, at each failed reload (with its errors) and at the good one.
        #expect(stderr.text.components(separatedBy: "the rules have 7 warnings").count == 2 + DeepRules.cases.count + 1)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
