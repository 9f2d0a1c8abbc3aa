import AuditwatchConsole
import AuditwatchCore
import Foundation
import Testing

/// The chat-injection string of NotifierTests, and markup that would run or load something.
let hostileText =
    "<!channel> @everyone <https://evil.example|click here> [bank](https://evil.example) "
    + "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><a href=\"javascript:alert(3)\">x</a>\u{202E}gnp.exe"

private func hostileSnapshot() -> ConsoleSnapshot {
    let alert = Alert(
        id: "aw_1", ruleID: "brute_force_user", ruleTitle: hostileText, level: .high, tags: ["attack.t1110"],
        group: [GroupValue(field: "actor.email", value: hostileText)], count: 5, firstAt: 1_800_000_000,
        lastAt: 1_800_000_060, eventIDs: ["e1"], summary: hostileText, source: "acme")
    var snapshot = ConsoleSnapshot(now: 1_800_000_100, version: "0.1.0")
    snapshot.sources = [
        .init(
            name: "acme", lastPoll: 1_800_000_090, lag: 30, failingSince: 1_800_000_080, pollErrors: 1,
            invalidEvents: 0, lateEvents: 0, lastError: (hostileText, 1_800_000_080))
    ]
    snapshot.rules = [
        .init(
            id: "brute_force_user", title: hostileText, level: "high", matches: 5, alerts: 1, lastFired: 1_800_000_060)
    ]
    snapshot.alerts = [
        .init(
            alert: alert, deliveries: [.init(notifier: "hook", status: "failed", attempts: 3, lastError: hostileText)],
            silence: nil)
    ]
    snapshot.deadLetters = snapshot.alerts
    snapshot.silences = [
        Silence(
            id: "sil_1", matchers: [try! SilenceMatcher.parse("group.actor.email=" + hostileText).get()],
            startsAt: 1_800_000_000, endsAt: 1_800_007_200, author: hostileText, comment: hostileText)
    ]
    snapshot.sourceNames = ["acme"]
    snapshot.tokenConfigured = true
    snapshot.csrf = "c5rf"
    snapshot.problems = [hostileText]
    snapshot.draft = SilenceDraft(matchers: hostileText, duration: "2h", comment: hostileText, author: hostileText)
    return snapshot
}

@Suite("Console page")
struct ConsolePageTests {
    @Test("hostile event text renders as text: no element, attribute or URL of its own survives")
    func hostileTextIsInert() {
        let page = ConsolePage.render(hostileSnapshot())
        for raw in ["<script", "<img", "<a href=\"javascript", "<!channel>", "<https://evil", "\u{202E}"] {
            #expect(!page.contains(raw), "\(raw) came through")
        }
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("&lt;!channel&gt;"))
        #expect(page.contains("\\u{202e}gnp.exe"), "a bidi override is shown, not applied")
        #expect(page.contains("&quot;&#39;&gt;"))
    }

    @Test("the page has no script and no external URL: every href and action is a path on this host")
    func selfContained() {
        let page = ConsolePage.render(hostileSnapshot())
        #expect(!page.contains("<script"))
        #expect(!page.contains("=\"http") && !page.contains("=http"), "no attribute holds a URL")
        for attribute in ["href=\"", "action=\"", "src=\""] {
            for piece in page.components(separatedBy: attribute).dropFirst() {
                #expect(piece.hasPrefix("/"), "\(attribute)\(piece.prefix(40))")
            }
        }
    }

    @Test("forms carry the session's CSRF token; without a session there are no change forms")
    func forms() {
        var snapshot = hostileSnapshot()
        let signedIn = ConsolePage.render(snapshot)
        let forms = signedIn.components(separatedBy: "method=\"post\"").count - 1
        let tokens = signedIn.components(separatedBy: "name=\"csrf\" value=\"c5rf\"").count - 1
        #expect(forms >= 4 && forms == tokens, "\(forms) forms, \(tokens) tokens")
        snapshot.csrf = nil
        let reader = ConsolePage.render(snapshot)
        #expect(!reader.contains("action=\"/silences\"") && !reader.contains("action=\"/retry\""))
        #expect(reader.contains("action=\"/login\""))
        #expect(reader.contains("type=\"password\" name=\"token\""))
    }

    @Test("filters keep what was chosen and the rule links are query-encoded")
    func filters() {
        var snapshot = hostileSnapshot()
        snapshot.filter = AlertFilter(rule: "brute_force_user", level: "high", source: "")
        snapshot.rules.append(.init(id: "a&b c", title: "", level: "low", matches: 0, alerts: 0, lastFired: nil))
        let page = ConsolePage.render(snapshot)
        #expect(page.contains("<option value=\"brute_force_user\" selected>"))
        #expect(page.contains("<option value=\"high\" selected>"))
        #expect(page.contains("href=\"/?rule=a%26b%20c#alerts\""))
    }

    @Test("form bodies decode + and %XX, and invalid UTF-8 as U+FFFD")
    func formFields() {
        let fields = FormFields(
            "matchers=rule%3Dbrute_force_user%0Agroup.actor.email%3Ddana%40acme.example&for=2h&comment=pen+test&x=%FF")
        #expect(fields["matchers"] == "rule=brute_force_user\ngroup.actor.email=dana@acme.example")
        #expect(fields["comment"] == "pen test")
        #expect(fields["x"] == "\u{FFFD}")
        #expect(fields["missing"] == nil)
    }
}
