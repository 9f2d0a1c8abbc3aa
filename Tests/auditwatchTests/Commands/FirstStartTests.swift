import AuditwatchTestSupport
import Foundation
import Testing

@Suite("First start: the start backlog is recorded, not sent", .serialized)
struct FirstStartTests {
    private func setUp(_ standIn: AuditLogStandIn) throws -> String {
        let directory = try makeTemporaryDirectory("aw-first")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        sources:
          acme: {admin_key: "${ACME_ADMIN_KEY}", base_url: "\(standIn.baseURL)", start: 2h}
        notifiers:
          console: {type: stdout}
        default_notifiers: [console]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a new source's first poll sends nothing; what happens after it is sent as usual")
    func backlogNotSent() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 1800 + Int64(index * 20), email: "dana@acme.example")
        }
        let path = try setUp(standIn)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let env = ["ACME_ADMIN_KEY": standIn.adminKey]
        let first = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.isEmpty, "no alert of the backlog is sent: \(first.stdout)")
        #expect(
            first.stderr.contains("alert raised") && first.stderr.contains("rule=brute_force_user"),
            "it is still raised and recorded")
        #expect(
            first.stderr.contains("first poll: alerts from the start backlog recorded, not sent"), "\(first.stderr)")

        standIn.add(id: "new", at: now - 30, type: "scim.disabled")
        let second = try CommandRunner.run(["run", "--config", path, "--once"], environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdoutLines.count == 1 && second.stdout.contains("\"scim_disabled\""), "\(second.stdout)")
        #expect(!second.stderr.contains("start backlog"))
    }

    @Test("--backfill-notify sends the backlog too")
    func backfillNotify() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 1800 + Int64(index * 20), email: "dana@acme.example")
        }
        let path = try setUp(standIn)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let first = try CommandRunner.run(
            ["run", "--config", path, "--once", "--backfill-notify"], environment: ["ACME_ADMIN_KEY": standIn.adminKey])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"brute_force_user\""))
        #expect(!first.stderr.contains("start backlog"))
    }
}
