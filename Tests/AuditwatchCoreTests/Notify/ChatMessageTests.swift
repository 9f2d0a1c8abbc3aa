import Foundation
import Testing

@testable import AuditwatchCore

private func alert(summary: String, group: [GroupValue] = [], source: String? = "acme") -> Alert {
    Alert(
        id: "aw_0123456789abcdef", ruleID: "brute_force_user", ruleTitle: "Brute force against one user", level: .high,
        tags: [],
        group: group, count: 5, firstAt: 1_773_717_120, lastAt: 1_773_717_220, eventIDs: ["e1"], summary: summary,
        source: source)
}

private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("Chat messages: the organization named, text not over-escaped, limits without broken pieces")
struct ChatMessageTests {
    @Test("every chat message names the source organization")
    func namesTheOrganization() {
        let named = alert(summary: "5 failed sign-ins")
        for message in [
            AlertMessages.slack(named), AlertMessages.discord(named), AlertMessages.teams(named),
            AlertMessages.pagerDuty(named, routingKey: "k"),
        ] {
            #expect(message.contains("Brute force against one user (acme)"), "\(message)")
        }
        #expect(AlertMessages.facts(named).first?.name == "Organization")
        #expect(!AlertMessages.slack(alert(summary: "x", source: nil)).contains("Organization"))
    }

    @Test(
        "Teams text keeps ordinary punctuation as typed and escapes what its Markdown acts on",
        arguments: [
            ("5 failed sign-ins for dana@acme.example", "5 failed sign-ins for dana@acme.example"),
            ("brute_force_user at 10.0.0.1!", "brute_force_user at 10.0.0.1!"),
            ("**bold** _it_ [bank](https://evil.example)", #"\*\*bold\*\* \_it\_ \[bank\](https://evil.example)"#),
            ("- not a list\n1. nor this\n# nor a heading", "\\- not a list\n1\\. nor this\n\\# nor a heading"),
            ("a `tick` and a \\ backslash", #"a \`tick\` and a \\ backslash"#),
        ])
    func teamsEscaping(raw: String, expected: String) {
        #expect(MessageText.teams(raw) == expected)
    }

    @Test("Slack truncation never leaves half an entity")
    func slackEntities() throws {
        for length in 1...40 {
            let text = String(repeating: "x", count: length) + String(repeating: "&<>", count: 40)
            let fitted = MessageText.fitSlack(text, 60)
            #expect(fitted.count <= 60)
            let body = fitted.replacingOccurrences(of: "… (truncated)", with: "")
            for entity in body.matches(of: /&[a-z]*;?/) {
                #expect(["&amp;", "&lt;", "&gt;"].contains(String(entity.output)), "\(fitted)")
            }
        }
        let message = try object(AlertMessages.slack(alert(summary: String(repeating: "&", count: 3000))))
        let section = try #require((message["blocks"] as? [[String: Any]])?[1]["text"] as? [String: Any])
        #expect((section["text"] as? String)?.hasSuffix("&amp;… (truncated)") == true)
    }

    @Test("a cut never leaves a lone escaping backslash")
    func markdownCut() {
        let cut = MessageText.fitEscaped(MessageText.markdown(String(repeating: "*", count: 100)), 20)
        #expect(cut.hasSuffix("… (truncated)"))
        #expect(cut.dropLast("… (truncated)".count).reversed().prefix { $0 == "\\" }.count % 2 == 0)
    }

    @Test("Discord never gets an empty embed field")
    func discordEmptyValues() throws {
        let empty = alert(
            summary: "", group: [GroupValue(field: "actor.email", value: ""), GroupValue(field: "", value: "x")])
        let message = try object(AlertMessages.discord(empty))
        let fields = try #require((message["embeds"] as? [[String: Any]])?.first?["fields"] as? [[String: Any]])
        #expect(!fields.isEmpty)
        for field in fields {
            #expect(!(field["name"] as? String ?? "").isEmpty && !(field["value"] as? String ?? "").isEmpty, "\(field)")
        }
    }

    @Test("a notifier template may read the alert's summary, source and id; a rule's summary may not")
    func templateSummary() {
        let parsed = SummaryTemplate.parse(
            "{alert.source|upper}: {alert.summary} ({alert.id})", at: SourceLocation(file: "t", line: 1, column: 1),
            ruleID: "n", notifier: true)
        #expect(parsed.diagnostics.isEmpty)
        #expect(
            parsed.template?.render(alert: alert(summary: "5 failed sign-ins"))
                == "ACME: 5 failed sign-ins (aw_0123456789abcdef)")
        let inRule = SummaryTemplate.parse(
            "{alert.summary}", at: SourceLocation(file: "r", line: 1, column: 1), ruleID: "r")
        #expect(inRule.template == nil)
        #expect(inRule.diagnostics.first?.message.contains("use it in a notifier's template") == true)
    }
}
