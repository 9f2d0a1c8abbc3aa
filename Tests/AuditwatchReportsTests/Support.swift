import AuditwatchCore

/// Attacker-controlled text as it can arrive in an event: markup, a script, an event handler,
/// a link, chat mentions and a right-to-left override.
let hostileText =
    "<script>document.body.setAttribute('data-pwned','1')</script><img src=x onerror=\"document.title='pwned'\">"
    + " <a href=\"https://evil.example\">click</a> <!channel> @everyone \u{202E}gpj.exe"

func reportAlert(
    rule: String = "brute_force_user", level: RuleLevel = .high, at seconds: Int64,
    group: [GroupValue] = [], title: String = "Repeated failed logins"
) -> Alert {
    Alert(
        id: "a\(seconds)\(rule)", ruleID: rule, ruleTitle: title, level: level, tags: [], group: group,
        count: 1, firstAt: seconds, lastAt: seconds, eventIDs: ["e\(seconds)"], summary: "s")
}

/// 2026-06-01T00:00:00Z.
let juneFirst: Int64 = 1_780_272_000
