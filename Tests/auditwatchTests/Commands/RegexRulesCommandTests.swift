import AuditwatchTestSupport
import Foundation
import Testing

@Suite("auditwatch with |re rules")
struct RegexRulesCommandTests {
    private func ruleFile(_ value: String, in folder: URL) throws -> URL {
        let file = folder.appendingPathComponent("re.yml")
        try """
        title: re with i and a class
        name: re_i_class
        level: low
        logsource: {product: openai, service: audit_log}
        detection:
          sel:
            actor.session.user.email|re|i: \(value)
          condition: sel
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("rules validate and run survive re|i with a character class (they used to die with SIGILL)")
    func caseInsensitiveClass() throws {
        let folder = try makeTemporaryDirectory("aw-re")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = try ruleFile("'^[a-z_]+@example\\.com$'", in: folder)
        let validate = try CommandRunner.run(["rules", "validate", rules.path])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let events = folder.appendingPathComponent("events.jsonl")
        func event(_ id: String, _ email: String) -> String {
            #"{"id": "\#(id)", "type": "login.succeeded", "effective_at": 1700000000, "actor": {"type": "session", "#
                + #""session": {"user": {"id": "u1", "email": "\#(email)"}, "ip_address": "198.51.100.7"}}}"#
        }
        try (event("e1", "Dana_X@Example.com") + "\n" + event("e2", "dana.x@example.com") + "\n")
            .write(to: events, atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(["run", "--rules", rules.path, "--events", events.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("by Dana_X@Example.com") && !run.stdout.contains("dana.x@"), "\(run.stdout)")
    }

    @Test("rules validate points at the refused construct inside the value")
    func locatedRefusal() throws {
        let folder = try makeTemporaryDirectory("aw-re")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = try ruleFile("'^admin(?!@example)'", in: folder)
        let validate = try CommandRunner.run(["rules", "validate", rules.path])
        #expect(validate.status != 0)
        #expect(
            validate.stderr.contains("re.yml:7:43: error: invalid regular expression: negative lookahead"),
            "\(validate.stderr)")
    }
}
