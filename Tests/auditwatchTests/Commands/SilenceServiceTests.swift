import AuditwatchTestSupport
import Foundation
import Testing

@Suite("Silences with the real service", .serialized)
struct SilenceServiceTests {
    @Test("a server.token that cannot be read stops the start, located; check still reads the config")
    func unreadableToken() throws {
        let fixture = try ConsoleServiceFixture()
        defer { fixture.stop() }
        // The token's variable is left unset; the admin key is there.
        let environment = ["ACME_KEY": fixture.standIn.adminKey]
        let run = try CommandRunner.run(["run", "--config", fixture.config], environment: environment)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("error: server.token comes from environment variable AW_CONSOLE_TOKEN"))
        #expect(!run.stderr.contains("serving /healthz"), "nothing was served")
        let check = try CommandRunner.run(["check", "--config", fixture.config], environment: environment)
        #expect(check.status == 0 && check.stderr.contains("auditwatch.yml: OK"), "\(check.stderr)")
    }

    @Test(
        "a matching alert is recorded as silenced and not sent, another is sent; silences survive a restart; expiring does not resend"
    )
    func endToEnd() throws {
        let fixture = try ConsoleServiceFixture()
        defer { fixture.stop() }
        // Before the first start, from the command line (it creates the state file).
        let added = try fixture.cli([
            "silence", "add", "--match", "rule=brute_force_user", "--match", "group.actor.email=dana@acme.example",
            "--for", "2h", "--comment", "pentest", "--author", "ops",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let dana = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(dana.hasPrefix("sil_"))
        let listed = try fixture.cli(["silence", "list"])
        #expect(listed.stdout.contains(dana) && listed.stdout.contains("group.actor.email=dana@acme.example"))

        try fixture.failures("dana@acme.example", secondsAgo: 3000, tag: "dana1")
        try fixture.failures("eve@acme.example", secondsAgo: 2950, tag: "eve1")
        try fixture.startService(backfill: true)
        #expect(fixture.wait { fixture.delivered.count >= 1 }, "eve's alert is sent")
        let silencedList = { try fixture.cli(["alerts", "list", "--status", "silenced"]).stdout }
        #expect(try fixture.wait { try silencedList().contains("dana@acme.example") }, "dana's is recorded as silenced")
        #expect(fixture.delivered.count == 1)
        #expect(fixture.delivered.allSatisfy { $0.contains("eve@acme.example") && !$0.contains("dana@") })
        let silencedLines = try silencedList().split(separator: "\n")
        #expect(silencedLines.count == 1 && silencedLines[0].hasPrefix("hook") && silencedLines[0].contains("silenced"))

        // Counted in /metrics, in a family promtool accepts.
        let metrics = try LoopbackHTTPRequest.send("GET", fixture.address, "/metrics").body
        #expect(metrics.contains("auditwatch_alerts_silenced_total{rule=\"brute_force_user\"} 1"), "\(metrics)")
        #expect(metrics.contains("# TYPE auditwatch_alerts_silenced_total counter"))
        if ExternalTool.path("promtool") != nil {
            let checked = try ExternalTool.run("promtool", ["check", "metrics"], input: metrics)
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        }

        // The API: the bearer token or nothing.
        #expect(try LoopbackHTTPRequest.send("GET", fixture.address, "/api/v1/silences").status == 401)
        let wrong = ["Authorization": "Bearer " + fixture.token.dropLast() + "x"]
        #expect(try LoopbackHTTPRequest.send("GET", fixture.address, "/api/v1/silences", headers: wrong).status == 401)
        let bearer = ["Authorization": "Bearer " + fixture.token, "Content-Type": "application/json"]
        let refused = try LoopbackHTTPRequest.send(
            "POST", fixture.address, "/api/v1/silences", headers: bearer,
            body: #"{"matchers":["group.actor.email=~(eve"],"for":"2h","comment":"c"}"#)
        #expect(refused.status == 400 && refused.body.contains(#""column":20"#), "\(refused.body)")
        let created = try LoopbackHTTPRequest.send(
            "POST", fixture.address, "/api/v1/silences", headers: bearer,
            body: #"{"matchers":["rule=brute_force_user","group.actor.email=~eve@.*"],"for":"2h","comment":"drill"}"#)
        #expect(created.status == 201, "\(created.body)")
        let eve = try #require(
            created.body.components(separatedBy: "\"id\":\"").dropFirst().first?.prefix { $0 != "\"" })
        let all = try LoopbackHTTPRequest.send("GET", fixture.address, "/api/v1/silences", headers: bearer)
        #expect(all.status == 200 && all.body.contains(dana) && all.body.contains(String(eve)))
        #expect(!all.body.contains(fixture.token) && !fixture.service!.stderr.contains(fixture.token))

        // A restart: the silence made over the API still holds.
        fixture.stopService()
        try fixture.startService(backfill: false)
        try fixture.failures("eve@acme.example", secondsAgo: 1500, tag: "eve2")
        #expect(
            try fixture.wait { try silencedList().split(separator: "\n").count == 2 }, "eve's second alert is silenced")
        #expect(fixture.delivered.count == 1)

        // Expired over the API: dana's next alert is sent, the silenced one is not sent again.
        let expired = try LoopbackHTTPRequest.send(
            "DELETE", fixture.address, "/api/v1/silences/\(dana)", headers: bearer)
        #expect(expired.status == 200 && expired.body.contains(#""state":"expired""#), "\(expired.body)")
        #expect(
            try LoopbackHTTPRequest.send("DELETE", fixture.address, "/api/v1/silences/sil_none", headers: bearer).status
                == 404)
        try fixture.failures("dana@acme.example", secondsAgo: 1200, tag: "dana2")
        #expect(fixture.wait { fixture.delivered.count == 2 }, "dana's alert after the silence is sent")
        Thread.sleep(forTimeInterval: 2)  // two more polls: nothing else may arrive
        #expect(fixture.delivered.count == 2)
        #expect(fixture.delivered[1].contains("dana@acme.example"))
        #expect(try silencedList().split(separator: "\n").count == 2, "what was silenced stays silenced")
        let active = try fixture.cli(["silence", "list"]).stdout
        #expect(!active.contains(dana) && active.contains(String(eve)))
        #expect(try fixture.cli(["silence", "list", "--all"]).stdout.contains(dana))
        let expiredAgain = try fixture.cli(["silence", "expire", String(eve)])
        #expect(expiredAgain.status == 0, "\(expiredAgain.stderr)")
    }

    @Test("silence add: located matcher errors, exit 2, nothing stored")
    func locatedErrors() throws {
        let fixture = try ConsoleServiceFixture()
        defer { fixture.stop() }
        let outcome = try fixture.cli([
            "silence", "add", "--match", "rule=brute_force_user", "--match", "group.actor.email=~(dana", "--match",
            "levl=high", "--for", "2h", "--comment", "x",
        ])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--match:2:20: error: invalid regex"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("--match:3:1: error: unknown field 'levl'"))
        #expect(outcome.stderr.contains("did you mean 'level'"))
        #expect(try fixture.cli(["silence", "list"]).status != 0, "no state file was created")
    }
}
