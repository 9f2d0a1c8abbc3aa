import AuditwatchTestSupport
import Foundation
import Testing

private struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs the binary in `directory`, as a user standing in their rules repository does.
private func run(_ arguments: [String], in directory: URL) throws -> Outcome {
    let process = Process()
    process.executableURL = CommandRunner.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

private let rule = """
    title: SCIM disabled
    id: scim_off
    level: high
    logsource: {product: openai, service: audit_log}
    detection:
      sel: {type: scim.disabled}
      condition: sel

    """

@Suite("rules test: where tests are found, and what counts")
struct RulesTestDiscoveryTests {
    @Test("without a path it reads rules/ and tests/, the usual layout")
    func usualLayout() throws {
        let repository = try makeTemporaryDirectory("aw-layout")
        defer { try? FileManager.default.removeItem(at: repository) }
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("tests/fixtures"), withIntermediateDirectories: true)
        try rule.write(to: repository.appendingPathComponent("rules/scim.yml"), atomically: true, encoding: .utf8)
        try """
        tests:
          - name: scim off alerts
            events: fixtures/scim.jsonl
            expect: [{rule: scim_off, events: [s1]}]
        """.write(to: repository.appendingPathComponent("tests/scim.yml"), atomically: true, encoding: .utf8)
        try #"{"id": "s1", "type": "scim.disabled", "effective_at": 100}"#.write(
            to: repository.appendingPathComponent("tests/fixtures/scim.jsonl"), atomically: true, encoding: .utf8)
        let outcome = try run(["rules", "test"], in: repository)
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("PASS  scim off alerts"))
        #expect(outcome.stdoutLines.last == "1 passed, 0 failed")
    }

    @Test("a fixture named by a bare file name is found in the current directory too")
    func fixtureInCurrentDirectory() throws {
        let repository = try makeTemporaryDirectory("aw-cwd")
        defer { try? FileManager.default.removeItem(at: repository) }
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try
            (rule + """
                tests:
                  - name: scim off alerts, from a log next to where the command runs
                    events: scim.jsonl
                    expect: [{rule: scim_off, events: [s1]}]
                """).write(to: repository.appendingPathComponent("rules/scim.yml"), atomically: true, encoding: .utf8)
        try #"{"id": "s1", "type": "scim.disabled", "effective_at": 100}"#.write(
            to: repository.appendingPathComponent("scim.jsonl"), atomically: true, encoding: .utf8)
        let outcome = try run(["rules", "test", "rules"], in: repository)
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdoutLines.last == "1 passed, 0 failed")
        // Elsewhere, the message names both places it looked.
        let elsewhere = try run(
            ["rules", "test", repository.appendingPathComponent("rules").path],
            in: FileManager.default.temporaryDirectory)
        #expect(elsewhere.status == 1)
        #expect(
            elsewhere.stdout.contains(
                "fixture 'scim.jsonl' does not exist (looked for \(repository.appendingPathComponent("rules").path)/scim.jsonl, then scim.jsonl in the current directory)"
            ), "\(elsewhere.stdout)")
    }

    @Test("no test to run is a failure, not a green build", arguments: [[String](), ["--filter", "nothing-matches"]])
    func noTests(extra: [String]) throws {
        let repository = try makeTemporaryDirectory("aw-none")
        defer { try? FileManager.default.removeItem(at: repository) }
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try
            (rule + """
                tests:
                  - name: scim off alerts
                    events: [{id: s1, type: scim.disabled, effective_at: 100}]
                    expect: [{rule: scim_off, events: [s1]}]
                """).write(to: repository.appendingPathComponent("rules/scim.yml"), atomically: true, encoding: .utf8)
        if extra.isEmpty {
            try rule.write(to: repository.appendingPathComponent("rules/scim.yml"), atomically: true, encoding: .utf8)
        }
        let outcome = try run(["rules", "test"] + extra, in: repository)
        #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdoutLines.last == "0 passed, 0 failed")
        #expect(outcome.stderr.contains("nothing was tested"))
    }

    @Test("a test with several mistakes is one failed test")
    func countsTests() throws {
        let repository = try makeTemporaryDirectory("aw-count")
        defer { try? FileManager.default.removeItem(at: repository) }
        try
            (rule + """
                tests:
                  - name: three mistakes
                    events: [{type: scim.disabled, effective_at: "not a time"}, {type: scim.disabled, effective_at: "nor this"}]
                    expect: [{rule: scim_off, count: many}]
                  - name: fine
                    events: [{id: s1, type: scim.disabled, effective_at: 100}]
                    expect: [{rule: scim_off, events: [s1]}]
                """).write(to: repository.appendingPathComponent("scim.yml"), atomically: true, encoding: .utf8)
        let outcome = try run(["rules", "test", "scim.yml"], in: repository)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL  three mistakes"))
        #expect(outcome.stdout.contains("PASS  fine"))
        #expect(outcome.stdoutLines.last == "1 passed, 1 failed", "\(outcome.stdout)")
    }
}
