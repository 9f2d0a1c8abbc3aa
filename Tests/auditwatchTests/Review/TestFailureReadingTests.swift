import AuditwatchTestSupport
import Foundation
import Testing

@Suite("rules test: failures that read themselves")
struct TestFailureReadingTests {
    private func run(_ rules: String) throws -> Shell.Outcome {
        let directory = try makeTemporaryDirectory("aw-failures")
        defer { try? FileManager.default.removeItem(at: directory) }
        try rules.write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        return try Shell.run([CommandRunner.binary.path, "rules", "test", "rules.yml"], in: directory)
    }

    @Test("field-level differences; the closest actual is never one another expectation matched; each alert once")
    func closestActual() throws {
        let outcome = try run(
            """
            title: Key created
            id: key_created
            level: low
            detection:
              created: {type: api_key.created}
              condition: created
            tests:
              - name: two keys, one expectation wrong
                events:
                  - {id: a, type: api_key.created, effective_at: "2026-03-17T14:00:00Z"}
                  - {id: b, type: api_key.created, effective_at: "2026-03-17T15:00:00Z"}
                expect:
                  - {rule: key_created, events: [a]}
                  - {rule: key_created, events: [a], at: "2026-03-17T15:00:00Z"}
            """)
        #expect(outcome.status == 1)
        let text = outcome.stdout
        // Alert a matched the first expectation; the second is compared with b only.
        #expect(
            text.contains("closest actual: unexpected alert 1 below\n            events: expected [a], got [b]"),
            "\(text)")
        #expect(!text.contains("at: expected"), "\(text)")
        #expect(
            text.components(separatedBy: "rule key_created, group {}, at 2026-03-17T15:00:00Z").count == 2, "\(text)")
        #expect(!text.contains("at 2026-03-17T14:00:00Z, count 1"), "the matched alert is not offered: \(text)")
    }

    @Test("a missing single-event alert comes with the explain of its events, control characters escaped")
    func explainMissing() throws {
        let outcome = try run(
            """
            title: Owner added
            id: owner_added
            level: high
            detection:
              added:
                type: role.assignment.created
                details.data.role: owner
              condition: added
            tests:
              - name: the role is spelled differently
                events:
                  - {id: "r\\u001b[2J", type: role.assignment.created, effective_at: "2026-03-17T14:00:00Z", role.assignment.created: {data: {role: "Owner\\u001b]8;;"}}}
                expect:
                  - {rule: owner_added}
            """)
        #expect(outcome.status == 1)
        let text = outcome.stdout
        #expect(text.contains("no alert of rule owner_added is left to compare with"), "\(text)")
        #expect(text.contains("event r\\u{1b}[2J (role.assignment.created, 2026-03-17T14:00:00Z):"), "\(text)")
        #expect(text.contains("selection added: false"), "\(text)")
        #expect(text.contains("(event has \"Owner\\u001b]8;;\")"), "\(text)")
        #expect(!text.contains("\u{1B}"), "a raw escape reached the terminal")
    }
}
