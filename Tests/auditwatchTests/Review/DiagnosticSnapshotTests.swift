import AuditwatchTestSupport
import Foundation
import Testing

/// The diagnostics a rule author meets most, as golden files: a change in wording shows in review.
@Suite("diagnostics golden files")
struct DiagnosticSnapshotTests {
    static let cases: [(name: String, text: String)] = [
        (
            "typos",
            """
            title: Typos
            id: typos
            level: hihg
            logsource: {product: openai, service: audit_log}
            detection:
              sel:
                type: api_key.craeted
                actor.sesion.ip_address|startwith: '10.'
              condition: sel and filter
            """
        ),
        (
            "yaml-mistakes",
            """
            title: Unquoted wildcard
            id: wildcard
            level: low
            detection:
              sel:
                actor.email: *@example.com
              condition: sel
            """
        ),
        (
            "missing-condition",
            """
            title: No condition
            id: no_condition
            level: low
            logsource: {product: openai, service: audit_log}
            detection:
              sel: {type: login.failed}
            """
        ),
        (
            "correlation-mistakes",
            """
            title: Failed sign-in
            id: login_failed
            level: low
            logsource: {product: openai, service: audit_log}
            detection:
              sel: {type: login.failed}
              condition: sel
            ---
            title: Brute force
            id: brute_force
            level: high
            correlation:
              type: event_cuont
              rules: [login_faild]
              group-by: [actor.emial]
              condition: {gte: many}
            """
        ),
    ]

    @Test("rules validate", arguments: cases.map(\.name))
    func validate(_ name: String) throws {
        let text = try #require(Self.cases.first { $0.name == name }).text
        let directory = try makeTemporaryDirectory("aw-diagnostics")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try (text + "\n").write(
            to: directory.appendingPathComponent("rules/\(name).yml"), atomically: true, encoding: .utf8)
        let outcome = try Shell.run(
            [CommandRunner.binary.path, "rules", "validate", "--strict", "rules"], in: directory)
        #expect(outcome.status == 2)
        try Snapshot.check(outcome.stderr, named: "diagnostics/\(name).txt")
    }
}
