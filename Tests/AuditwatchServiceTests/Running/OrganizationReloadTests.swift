import AuditwatchTestSupport
import Foundation
import Testing

@Suite("sources_dir under SIGHUP: organizations added, retuned and removed", .serialized)
struct OrganizationReloadTests {
    @Test(
        "a file added starts an organization (its backlog recorded, not sent), a changed one is retuned, a removed one stops polling, a broken one keeps the running config"
    )
    func addRetuneRemove() throws {
        let acme = try AuditLogStandIn(adminKey: "sk-admin-acme-SECRET")
        let globex = try AuditLogStandIn(adminKey: "sk-admin-globex-SECRET")
        let hook = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { acme.stop(); globex.stop(); hook.stop() }
        let directory = try makeTemporaryDirectory("aw-org-reload")
        defer { try? FileManager.default.removeItem(at: directory) }
        let orgs = directory.appendingPathComponent("orgs")
        try FileManager.default.createDirectory(at: orgs, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(CommandRunner.repositoryRoot.appendingPathComponent("rules").path)]
        state: state.sqlite
        sources_dir: orgs/
        engine: {lateness: 1s}
        notifiers:
          hook: {type: webhook, url: "\(hook.baseURL)/hook"}
          tenant: {type: webhook, url: "\(hook.baseURL)/tenant"}
        default_notifiers: [hook]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        func organization(_ name: String, _ standIn: AuditLogStandIn, key: String, _ body: String = "") throws {
            try "admin_key: ${\(key)}\nbase_url: \(standIn.baseURL)\npoll_interval: 1s\nstart: 1h\n\(body)\n".write(
                to: orgs.appendingPathComponent("\(name).yml"), atomically: true, encoding: .utf8)
        }
        try organization("acme", acme, key: "ACME_KEY")
        let now = Int64(Date().timeIntervalSince1970)
        // globex's backlog: a brute force an hour's start reads on its first poll.
        for index in 0..<5 {
            globex.add(id: "old\(index)", at: now - 900 + Int64(index * 10), email: "old@globex.example")
        }
        let child = try ChildProcess(
            ["run", "--config", config], environment: ["ACME_KEY": acme.adminKey, "GLOBEX_KEY": globex.adminKey])
        defer { child.stop() }
        #expect(child.waitForStderr { $0.contains("started") && $0.contains("sources=acme") }, "\(child.stderr)")
        #expect(globex.requests.isEmpty)

        // Added: polled from the next round; its first poll's alerts are recorded, not sent.
        try organization(
            "globex", globex, key: "GLOBEX_KEY", "rule_levels: {brute_force_user: critical}\nnotifiers: [tenant]")
        kill(child.pid, SIGHUP)
        #expect(
            child.waitForStderr { $0.contains("organization added") && $0.contains("source=globex") }, "\(child.stderr)"
        )
        #expect(
            child.waitForStderr {
                $0.contains("first poll: alerts from the start backlog recorded, not sent")
                    && $0.contains("source=globex")
            },
            "\(child.stderr)")
        // New events after the first poll alert, at the organization's level, to its notifiers.
        let fresh = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 { globex.add(id: "new\(index)", at: fresh - 20 + Int64(index), email: "new@globex.example") }
        func delivered(_ path: String, _ email: String) -> [String] {
            hook.requests.filter { $0.target == path && $0.bodyText.contains(email) }.map(\.bodyText)
        }
        #expect(eventually(timeout: 20) { !delivered("/tenant", "new@globex.example").isEmpty }, "\(child.stderr)")
        let first = delivered("/tenant", "new@globex.example").first ?? ""
        #expect(first.contains(#""source":"globex""#) && first.contains(#""level":"critical""#), "\(first)")
        #expect(delivered("/hook", "globex.example").isEmpty, "globex's alerts go to its notifiers only")
        #expect(delivered("/tenant", "old@globex.example").isEmpty, "the backlog was not sent")

        // Changed: the new tuning applies from the reload on.
        try organization(
            "globex", globex, key: "GLOBEX_KEY", "rule_levels: {brute_force_user: low}\nnotifiers: [tenant]")
        kill(child.pid, SIGHUP)
        #expect(child.waitForStderr { $0.components(separatedBy: "reloaded").count > 2 }, "\(child.stderr)")
        let later = Int64(Date().timeIntervalSince1970)
        for index in 0..<5 {
            globex.add(id: "late\(index)", at: later - 5 + Int64(index), email: "late@globex.example")
        }
        #expect(eventually(timeout: 20) { !delivered("/tenant", "late@globex.example").isEmpty }, "\(child.stderr)")
        #expect(delivered("/tenant", "late@globex.example").first?.contains(#""level":"low""#) == true)
        let backlogLines = child.stderr.split(separator: "\n").filter {
            $0.contains("first poll: alerts from the start backlog") && $0.contains("source=globex")
        }
        #expect(backlogLines.count == 1, "a retuned organization keeps its position: \(backlogLines)")

        // A broken file: the reload fails, located, and everything keeps running as it was.
        try "admin_key: ${GLOBEX_KEY}\npol_interval: 1s\n".write(
            to: orgs.appendingPathComponent("broken.yml"), atomically: true, encoding: .utf8)
        kill(child.pid, SIGHUP)
        #expect(child.waitForStderr { $0.contains("reload failed") }, "\(child.stderr)")
        #expect(child.stderr.contains("broken.yml:2:1"), "located: \(child.stderr)")
        #expect(child.stderr.contains("did you mean 'poll_interval'"))
        let polledBefore = globex.requests.count
        #expect(eventually(timeout: 20) { globex.requests.count > polledBefore }, "globex still polled")
        try FileManager.default.removeItem(at: orgs.appendingPathComponent("broken.yml"))
        // A new organization whose admin key cannot be read refuses the reload too.
        try organization("initech", globex, key: "INITECH_KEY")
        kill(child.pid, SIGHUP)
        #expect(
            child.waitForStderr { $0.components(separatedBy: "reload failed").count > 2 && $0.contains("INITECH_KEY") },
            "\(child.stderr)")
        #expect(!child.stderr.contains("source=initech"), "never started")
        try FileManager.default.removeItem(at: orgs.appendingPathComponent("initech.yml"))

        // Removed: it stops; the others go on.
        try FileManager.default.removeItem(at: orgs.appendingPathComponent("globex.yml"))
        kill(child.pid, SIGHUP)
        #expect(
            child.waitForStderr { $0.contains("organization removed") && $0.contains("source=globex") },
            "\(child.stderr)")
        Thread.sleep(forTimeInterval: 1.2)  // a poll in flight at the reload ends
        let globexPolls = globex.requests.count, acmePolls = acme.requests.count
        Thread.sleep(forTimeInterval: 2.5)
        #expect(globex.requests.count == globexPolls, "a removed organization is not polled")
        #expect(acme.requests.count >= acmePolls + 2, "acme is polled every second")
        #expect(child.signal(SIGTERM, waitUpTo: 20) != nil)
        #expect(child.process.terminationStatus == 0, "\(child.stderr)")
        #expect(!child.stderr.contains(globex.adminKey) && !child.stderr.contains(acme.adminKey))
    }
}
