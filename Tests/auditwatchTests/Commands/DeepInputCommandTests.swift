import AuditwatchTestSupport
import Foundation
import Testing

/// Rule files nested deep enough to overflow any recursive reader: each must be a located error.
enum DeepRules {
    static func rule(condition: String) -> String {
        """
        title: Deep condition
        id: deep
        level: low
        logsource: {product: openai, service: audit_log}
        detection:
          a: {type: login.failed}
          condition: \(condition)

        """
    }

    static let parentheses = rule(
        condition: String(repeating: "(", count: 20_000) + "a" + String(repeating: ")", count: 20_000))
    static let nots = rule(condition: String(repeating: "not ", count: 100_000) + "a")
    static let yaml =
        "title: Deep YAML\nid: deep\nlevel: low\ndetection:\n  a: {type: login.failed}\n  condition: a\nx: "
        + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"

    static let cases: [(name: String, text: String, message: String, line: Int)] = [
        ("20,000 nested parentheses", parentheses, "nests parentheses and 'not' deeper than 64 levels", 7),
        ("100,000 chained not", nots, "nests parentheses and 'not' deeper than 64 levels", 7),
        ("100,000-deep YAML", yaml, "YAML nesting deeper than 256 levels", 7),
    ]
}

@Suite("Deeply nested rules are located errors, never crashes")
struct DeepInputCommandTests {
    @Test("rules validate and run refuse them with the file, line and limit", arguments: DeepRules.cases.indices)
    func validateAndRun(index: Int) throws {
        let deep = DeepRules.cases[index]
        let directory = try makeTemporaryDirectory("aw-deep")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("deep.yml")
        try deep.text.write(to: file, atomically: true, encoding: .utf8)
        let events = directory.appendingPathComponent("events.jsonl")
        try #"{"id": "e1", "type": "login.failed", "effective_at": 1}"#.write(
            to: events, atomically: true, encoding: .utf8)

        let validate = try CommandRunner.run(["rules", "validate", file.path])
        #expect(validate.status == 2, "\(deep.name): exit \(validate.status)")
        #expect(validate.stderr.contains("deep.yml:\(deep.line):"), "\(deep.name): \(validate.stderr.prefix(400))")
        #expect(validate.stderr.contains(deep.message), "\(deep.name)")

        let run = try CommandRunner.run(["run", "--rules", file.path, "--events", events.path])
        #expect(run.status == 2, "\(deep.name): exit \(run.status)")
        #expect(run.stderr.contains(deep.message))
    }
}
