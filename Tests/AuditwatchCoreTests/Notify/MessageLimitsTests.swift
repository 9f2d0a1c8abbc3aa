import AuditwatchCore
import Foundation
import Testing

/// "Z" and 6,000 combining acute accents: one grapheme, 6,001 scalars, 12,001 bytes of UTF-8.
private let zalgo = "Z" + String(repeating: "\u{0301}", count: 6000)

private func attackAlert() -> Alert {
    Alert(
        id: "aw_0123456789abcdef0123456789abcdef", ruleID: "odd_user_agent", ruleTitle: "Odd user agent", level: .high,
        tags: ["t"],
        group: [GroupValue(field: "user_agent", value: zalgo), GroupValue(field: "actor.email", value: zalgo + "@x")],
        count: 3, firstAt: 1_773_700_000, lastAt: 1_773_700_100,
        eventIDs: (0..<5000).map { "event-\($0)-" + String(repeating: "x", count: 40) },
        summary: "login from " + zalgo + " " + zalgo)
}

/// Length as the targets count it at most (UTF-16 units; scalars are never more).
private func units(_ value: Any?) -> Int { (value as? String).map { ($0 as NSString).length } ?? 0 }

private func object(_ body: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
}

@Suite("Limits in each target's own units; text that cannot deceive")
struct MessageLimitsTests {
    @Test("Slack: every text object within 3,000 (header 150, fields 2,000)")
    func slack() throws {
        let body = try object(AlertMessages.slack(attackAlert()))
        #expect(units(body["text"]) <= 3000)
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(units((blocks[0]["text"] as? [String: Any])?["text"]) <= 150)
        #expect(units((blocks[1]["text"] as? [String: Any])?["text"]) <= 3000)
        for field in (blocks[2]["fields"] as? [[String: Any]]) ?? [] { #expect(units(field["text"]) <= 2000) }
    }

    @Test("Discord: the embed within 6,000 in all, each part within its own limit")
    func discord() throws {
        let body = try object(AlertMessages.discord(attackAlert()))
        #expect(units(body["content"]) <= 2000)
        let embed = try #require((body["embeds"] as? [[String: Any]])?.first)
        let fields = (embed["fields"] as? [[String: Any]]) ?? []
        let total =
            units(embed["title"]) + units(embed["description"]) + units((embed["footer"] as? [String: Any])?["text"])
            + fields.reduce(0) { $0 + units($1["name"]) + units($1["value"]) }
        #expect(total <= 6000, "embed total \(total)")
        #expect(units(embed["description"]) <= 4096)
        for field in fields { #expect(units(field["value"]) <= 1024 && units(field["name"]) <= 256) }
    }

    @Test("PagerDuty: summary within 1,024, the event within 512 KB")
    func pagerDuty() throws {
        let text = AlertMessages.pagerDuty(attackAlert(), routingKey: "0123456789abcdef0123456789abcdef")
        #expect(text.utf8.count <= 512 * 1024)
        let payload = try #require(try object(text)["payload"] as? [String: Any])
        #expect(units(payload["summary"]) <= 1024)
        #expect(units(payload["group"]) <= 255)
    }

    @Test("Teams within 24 KB; the generic webhook within 20 KB")
    func sizes() throws {
        let teams = AlertMessages.teams(attackAlert())
        #expect(teams.utf8.count <= 24_000)
        _ = try object(teams)
        let hook = AlertMessages.webhook(attackAlert())
        #expect(hook.utf8.count <= 20_000)
        #expect(try object(hook)["id"] as? String == "aw_0123456789abcdef0123456789abcdef")
        let small = AlertMessages.webhook(
            Alert(
                id: "a", ruleID: "r", ruleTitle: "t", level: .low, tags: [], group: [], count: 1, firstAt: 0, lastAt: 0,
                eventIDs: ["e"], summary: "s"))
        #expect(
            small
                == AlertFormatter.jsonLine(
                    Alert(
                        id: "a", ruleID: "r", ruleTitle: "t", level: .low, tags: [], group: [], count: 1, firstAt: 0,
                        lastAt: 0, eventIDs: ["e"], summary: "s")))
    }

    @Test("fit counts UTF-16 units and cuts on scalar boundaries", arguments: [2000, 3000, 6000])
    func fitUnits(limit: Int) {
        let fitted = MessageText.fit(zalgo + zalgo, limit)
        #expect((fitted as NSString).length <= limit)
        #expect(fitted.hasSuffix("(truncated)"))
        let emoji = String(repeating: "😀", count: limit)  // two UTF-16 units each
        #expect((MessageText.fit(emoji, limit) as NSString).length <= limit)
        #expect(
            MessageText.fit(String(repeating: "a", count: limit), limit).count == limit,
            "exactly at the limit is kept whole")
    }

    @Test(
        "bidirectional controls and line separators never reach a chat body or the terminal",
        arguments: [
            "\u{202E}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
            "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}",
        ])
    func deceptive(control: String) throws {
        var alert = attackAlert()
        alert.summary = "file gpj\(control).exe from admin"
        alert.group = [GroupValue(field: "actor.email", value: "eve\(control)@x")]
        let scalar = control.unicodeScalars.first!
        for body in [
            AlertMessages.slack(alert), AlertMessages.discord(alert), AlertMessages.teams(alert),
            AlertMessages.pagerDuty(alert, routingKey: "k"),
        ] {
            let decoded = try object(body)
            let text = String(decoding: try JSONSerialization.data(withJSONObject: decoded), as: UTF8.self)
            #expect(!text.unicodeScalars.contains(scalar) && !body.unicodeScalars.contains(scalar))
        }
        #expect(MessageText.printable(alert.summary).contains("<U+"))
        let line = AlertFormatter.textLine(alert)
        #expect(!line.unicodeScalars.contains(scalar))
        #expect(line.contains("\\u{"))
    }
}
