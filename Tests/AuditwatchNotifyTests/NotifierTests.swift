import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchNotify

/// A clock the tests move by hand; sleeping moves it too.
final class FakeClock: @unchecked Sendable {
    var now: Double = 1_800_000_000
    func sleep(_ seconds: Double) { now += seconds }
}

func sampleAlert(
    _ id: String = "aw_0123456789abcdef0123456789abcdef", summary: String = "5 failed sign-ins for dana@acme.example",
    group: [GroupValue] = [GroupValue(field: "actor.email", value: "dana@acme.example")]
) -> Alert {
    Alert(
        id: id, ruleID: "brute_force_user", ruleTitle: "Brute force against one user", level: .high,
        tags: ["attack.t1110"], group: group,
        count: 5, firstAt: 1_773_717_120, lastAt: 1_773_717_220, eventIDs: ["e1", "e2", "e3", "e4", "e5"],
        summary: summary)
}

func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// Builds clients (over libcurl) from YAML config text, with the given environment.
func clients(
    _ yaml: String, environment: [String: String], printLine: @escaping (String) -> Void = { _ in }
) throws -> (clients: [String: NotifierClient], redactor: Redactor, config: ServiceConfig) {
    let directory = try makeTemporaryDirectory("aw-notify")
    let path = directory.appendingPathComponent("auditwatch.yml").path
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    let loaded = ConfigLoader.load(path)
    let config = try #require(loaded.config, "\(loaded.diagnostics.map(\.message))")
    let resolved = NotifierSettings.resolve(config, resolver: SecretResolver(environment: environment))
    #expect(resolved.diagnostics.isEmpty, "\(resolved.diagnostics.map(\.message))")
    let clients = NotifierClient.clients(
        for: resolved.notifiers, redactor: resolved.redactor,
        transport: { try? HTTPClient(options: httpOptions(config)) }, printLine: printLine)
    return (clients, resolved.redactor, config)
}

/// The `http` section's transport settings (the service maps them the same way).
private func httpOptions(_ config: ServiceConfig) -> HTTPClientOptions {
    var options = HTTPClientOptions()
    options.connectTimeout = config.connectTimeout
    options.totalTimeout = config.timeout
    options.caBundlePath = config.caBundle
    options.proxy = config.proxy
    return options
}

@Suite("Notifiers: exact payloads over libcurl to a loopback server")
struct NotifierPayloadTests {
    @Test("every notifier sends its target's shape, headers and URL")
    func payloads() throws {
        let server = try LoopbackHTTPServer { request, _ in
            if request.target.hasPrefix("/services") { return .respond(status: 200, body: "ok") }
            if request.target.hasPrefix("/enqueue") {
                return .respond(status: 202, body: #"{"status":"success","dedup_key":"x"}"#)
            }
            if request.target.hasPrefix("/teams") { return .respond(status: 202) }
            return .respond(status: 200, body: "{}")
        }
        defer { server.stop() }
        let environment = [
            "SLACK_URL": server.baseURL + "/services/T000/B000/SECRETSLACKTOKEN",
            "DISCORD_URL": server.baseURL + "/api/webhooks/123/SECRETDISCORDTOKEN",
            "TEAMS_URL": server.baseURL + "/teams/workflows?sig=SECRETTEAMSSIG",
            "PD_KEY": "0123456789abcdef0123456789abcdef",
            "HOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ]
        let (built, _, _) = try clients(
            """
            notifiers:
              slack: {type: slack, url: "${SLACK_URL}"}
              discord: {type: discord, url: "${DISCORD_URL}"}
              teams: {type: teams, url: "${TEAMS_URL}"}
              pd: {type: pagerduty, routing_key: "${PD_KEY}", url: \(server.baseURL)/enqueue}
              hook: {type: webhook, url: \(server.baseURL)/hook, secret: "${HOOK_SECRET}"}
            """, environment: environment)
        let alert = sampleAlert()
        for name in ["slack", "discord", "teams", "pd", "hook"] {
            let attempt = built[name]!.send(alert, now: 1_800_000_000)
            #expect(attempt.outcome == .delivered, "\(name): \(attempt.outcome)")
        }
        let requests = server.requests
        #expect(requests.count == 5)
        #expect(requests.allSatisfy { $0.method == "POST" && $0.headers["content-type"] == "application/json" })

        let slack = try json(requests[0].bodyText)
        #expect(requests[0].target == "/services/T000/B000/SECRETSLACKTOKEN")
        #expect(slack["text"] as? String == "[HIGH] Brute force against one user")
        #expect(slack["unfurl_links"] as? Bool == false && slack["unfurl_media"] as? Bool == false)
        #expect((slack["blocks"] as? [[String: Any]])?.count == 3)

        let discord = try json(requests[1].bodyText)
        #expect(requests[1].target == "/api/webhooks/123/SECRETDISCORDTOKEN?wait=true")
        #expect(((discord["allowed_mentions"] as? [String: Any])?["parse"] as? [Any])?.isEmpty == true)
        let embed = try #require((discord["embeds"] as? [[String: Any]])?.first)
        #expect(embed["title"] as? String == "[HIGH] Brute force against one user")
        #expect(embed["timestamp"] as? String == "2026-03-17T03:13:40Z")

        let teams = try json(requests[2].bodyText)
        #expect(teams["type"] as? String == "message")
        #expect(
            (teams["attachments"] as? [[String: Any]])?.first?["contentType"] as? String
                == "application/vnd.microsoft.card.adaptive")

        let pd = try json(requests[3].bodyText)
        #expect(pd["routing_key"] as? String == "0123456789abcdef0123456789abcdef")
        #expect(pd["event_action"] as? String == "trigger")
        #expect(pd["dedup_key"] as? String == "aw-" + alert.id)
        #expect((pd["payload"] as? [String: Any])?["severity"] as? String == "error")

        let hook = requests[4]
        #expect(hook.bodyText == AlertFormatter.jsonLine(alert))
        #expect(hook.headers["webhook-id"] == "msg_" + alert.id)
        #expect(hook.headers["webhook-timestamp"] == "1800000000")
        let key = try #require(StandardWebhookSignature.key(fromSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        #expect(
            hook.headers["webhook-signature"]
                == StandardWebhookSignature.sign(
                    id: "msg_" + alert.id, timestamp: 1_800_000_000, body: hook.body, key: key))
    }

    @Test("chat control sequences and markdown in event text arrive inert")
    func injection() throws {
        let hostile =
            "<!channel> @everyone @here <@U123> <#C1> <https://evil.example|click here> **bold** _it_ [bank](https://evil.example) `code` # head"
        let alert = sampleAlert(summary: hostile, group: [GroupValue(field: "actor.email", value: hostile)])
        let slack = AlertMessages.slack(alert)
        for token in ["<!channel>", "<@U123>", "<#C1>", "<https://evil.example|click here>"] {
            #expect(!slack.contains(token))
        }
        #expect(slack.contains("&lt;!channel&gt;"))
        #expect(slack.contains("&lt;https://evil.example|click here&gt;"))
        #expect(!slack.contains("\"mrkdwn\""), "untrusted text only in plain_text objects")

        let discord = AlertMessages.discord(alert)
        #expect(!discord.contains("@everyone") && !discord.contains("@here"))
        #expect(discord.contains(#"\\*\\*bold\\*\\*"#))
        #expect(discord.contains(#"\\[bank\\]\\(https://evil\\.example\\)"#))
        #expect(discord.contains(#""allowed_mentions":{"parse":[]}"#))

        let teams = AlertMessages.teams(alert)
        #expect(teams.contains(#"\\[bank\\](https://evil.example)"#))
        #expect(!teams.contains("[bank](https"))
    }

    @Test("long text is cut to each target's limits, saying so")
    func limits() throws {
        let alert = sampleAlert(
            summary: String(repeating: "x", count: 10_000),
            group: (0..<40).map { GroupValue(field: "f\($0)", value: String(repeating: "y", count: 3000)) })
        let discord = try json(AlertMessages.discord(alert))
        let embed = try #require((discord["embeds"] as? [[String: Any]])?.first)
        let description = try #require(embed["description"] as? String)
        #expect(description.count <= 4096 && description.hasSuffix("(truncated)"))
        let fields = try #require(embed["fields"] as? [[String: Any]])
        let total =
            (embed["title"] as? String ?? "").count + description.count
            + fields.reduce(0) { $0 + ($1["name"] as? String ?? "").count + ($1["value"] as? String ?? "").count }
        #expect(total <= 6000 && fields.count <= 25)
        let slack = try json(AlertMessages.slack(alert))
        let blocks = try #require(slack["blocks"] as? [[String: Any]])
        #expect(((blocks[1]["text"] as? [String: Any])?["text"] as? String)?.count ?? 0 <= 3000)
        #expect(((blocks[2]["fields"] as? [Any])?.count ?? 0) <= 10)
        #expect(AlertMessages.teams(alert).utf8.count <= 24_000)
    }
}

@Suite("Message templates")
struct TemplateTests {
    @Test("a notifier template replaces the summary, with filters; time:ZONE shows local time")
    func notifierTemplate() throws {
        let server = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: "ok") }
        defer { server.stop() }
        let (built, _, _) = try clients(
            """
            notifiers:
              chat:
                type: slack
                url: "${SLACK_URL}"
                template: "{rule.level|upper}: {group.actor.email} ({alert.count} events from {alert.first_at|time:Europe/Berlin}) {group.missing|default:-}"
            """, environment: ["SLACK_URL": server.baseURL + "/services/x"])
        #expect(built["chat"]!.send(sampleAlert(), now: 1).outcome == .delivered)
        let body = try json(server.requests[0].bodyText)
        let section = try #require((body["blocks"] as? [[String: Any]])?[1]["text"] as? [String: Any])
        #expect(section["text"] as? String == "HIGH: dana@acme.example (5 events from 2026-03-17T04:12:00+01:00) -")
    }

    @Test(
        "template mistakes are located at load",
        arguments: [
            ("template: \"{actor.email}\"", "deliveries do not keep the event"),
            ("template: \"{alert.first_at|time:Mars/Olympus}\"", "unknown time zone 'Mars/Olympus'"),
            (
                "template: \"{alert.first_at|time:Europe/Berln}\"",
                "unknown time zone 'Europe/Berln' in '{alert.first_at|time:Europe/Berln}'; did you mean 'Europe/Berlin'?"
            ),
            ("template: \"{alert.cont}\"", "did you mean 'alert.count'"),
            ("template: \"{rule.title|shout}\"", "unknown summary filter 'shout'"),
        ])
    func mistakes(line: String, fragment: String) throws {
        let directory = try makeTemporaryDirectory("aw-tpl")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try "notifiers:\n  chat:\n    type: stdout\n    \(line)\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let loaded = ConfigLoader.load(path)
        #expect(loaded.config == nil)
        let error = try #require(
            loaded.diagnostics.first { $0.message.contains(fragment) }, "\(loaded.diagnostics.map(\.message))")
        #expect(error.location?.line == 4)
    }

    @Test(
        "config mistakes: unknown keys, types, notifier names in routes",
        arguments: [
            ("notifiers:\n  c: {type: slak, url: x}\n", "did you mean 'slack'"),
            (
                "notifiers:\n  c: {type: stdout}\nroutes:\n  - {levels: [hihg], notifiers: [c]}\n",
                "unknown level 'hihg'"
            ),
            ("notifiers:\n  c: {type: stdout}\nroutes:\n  - {notifiers: [d]}\n", "unknown notifier 'd'"),
            ("notifier:\n  c: {type: stdout}\n", "did you mean 'notifiers'"),
            ("notifiers:\n  c: {type: webhook, url: https://x.example/h, secret: whsec_literal}\n", "is a credential"),
            (
                "notifiers:\n  c: {type: slack, url: {env: SLACK}, rate_limit: fast}\n",
                "'rate_limit' is a count per unit"
            ),
            ("delivery: {retry_for: 1M}\n", "varies in length"),
        ])
    func configMistakes(text: String, fragment: String) throws {
        let directory = try makeTemporaryDirectory("aw-cfg")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = ConfigLoader.load(path)
        #expect(
            loaded.diagnostics.contains {
                $0.severity == .error && $0.message.contains(fragment) && $0.location != nil
            }, "\(loaded.diagnostics.map(\.message))")
    }

    @Test("a notifier with a bad or missing type is one error: routes and defaults naming it add no 'unknown notifier'")
    func noCascadeFromBadType() throws {
        let directory = try makeTemporaryDirectory("aw-cfg")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try """
        notifiers:
          chat: {type: slak, url: "${SLACK}"}
          pager: {url: "${PD}"}
        routes:
          - {levels: [high], notifiers: [chat, pager]}
        default_notifiers: [chat, pagr]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = ConfigLoader.load(path)
        #expect(loaded.config == nil)
        let messages = loaded.diagnostics.map(\.message)
        #expect(
            messages.filter { $0.contains("unknown notifier type 'slak'; did you mean 'slack'?") }.count == 1,
            "\(messages)")
        #expect(messages.contains { $0.contains("'type'") && $0.contains("pager") }, "\(messages)")
        // Only the name no notifier defines is unknown.
        #expect(
            messages.filter { $0.contains("unknown notifier '") } == ["unknown notifier 'pagr'; did you mean 'pager'?"],
            "\(messages)")
    }
}

@Suite("Notifier secrets at load")
struct NotifierSecretTests {
    @Test("retired Office 365 connector URLs, non-HTTP URLs and malformed signing secrets are refused, by name")
    func refused() throws {
        let directory = try makeTemporaryDirectory("aw-sec")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try """
        notifiers:
          old-teams: {type: teams, url: "${TEAMS}"}
          ftp-hook: {type: slack, url: "${SLACK}"}
          bad-secret: {type: webhook, url: https://siem.example/h, secret: "${SECRET}"}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try #require(ConfigLoader.load(path).config)
        let resolved = NotifierSettings.resolve(
            config,
            resolver: SecretResolver(environment: [
                "TEAMS": "https://acme.webhook.office.com/webhookb2/SECRETPART", "SLACK": "ftp://hooks.example/x",
                "SECRET": "whsec_not*base64",
            ]))
        let messages = resolved.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("'old-teams' uses a retired Office 365 connector URL") })
        #expect(messages.contains { $0.contains("notifier 'ftp-hook' must be http or https") })
        #expect(messages.contains { $0.contains("signing secret of notifier 'bad-secret' is not whsec_") })
        #expect(!messages.joined().contains("SECRETPART"), "messages name notifiers, never secret values")
    }
}
