import AuditwatchCore
import AuditwatchYAML
import Testing

/// The mistakes Sigma authors make most get the fix in the message, and one mistake one error.
@Suite("hints for the mistakes Sigma authors make")
struct AuthorMistakeHintTests {
    private func messages(_ text: String) -> [String] {
        loadRules(text).diagnostics.filter { $0.severity == .error }.map(\.message)
    }

    private let head = "title: T\nid: t\nlevel: low\nlogsource: {product: openai, service: audit_log}\n"

    @Test("an unquoted value starting with * says to quote it")
    func unquotedStar() {
        let found = messages(head + "detection:\n  sel:\n    actor.email: *@example.com\n  condition: sel\n")
        #expect(
            found.contains { $0.contains("a value starting with '*' must be quoted in YAML: '*@example.com'") },
            "\(found)")
    }

    @Test("a tab in the indentation is named")
    func tabs() {
        let found = messages(head + "detection:\n  sel:\n\ttype: login.failed\n  condition: sel\n")
        #expect(
            found.contains { $0.contains("YAML indentation must be spaces, and this line is indented with a tab") },
            "\(found)")
    }

    @Test("a line indented out of line with its mapping is named")
    func indentation() {
        let found = messages(
            head + "detection:\n  sel:\n    type: login.failed\n   actor.type: session\n  condition: sel\n")
        #expect(
            found.contains {
                $0.contains("indentation does not line up") || $0.contains("indented under the right key")
            },
            "\(found)")
    }

    @Test("a time zone that is only a city, or misspelled, gets a did-you-mean")
    func timeZones() {
        let city = messages(
            "calendar:\n  name: c\n  location: New York\n  time_intervals:\n    - weekdays: ['monday:friday']\n")
        #expect(city.contains { $0.contains("did you mean 'America/New_York'?") }, "\(city)")
        let typo = messages(
            "calendar:\n  name: c\n  location: Europe/Berln\n  time_intervals:\n    - weekdays: ['monday:friday']\n")
        #expect(typo.contains { $0.contains("did you mean 'Europe/Berlin'?") }, "\(typo)")
        let summary = messages(
            head + "summary: 'at {alert.first_at|time:New York}'\n"
                + "detection:\n  sel: {type: login.failed}\n  condition: sel\n")
        #expect(
            summary.contains {
                $0.hasPrefix("unknown time zone 'New York'") && $0.hasSuffix("did you mean 'America/New_York'?")
            },
            "\(summary)")
    }

    @Test("no cascades: a missing condition is one error; an invalid calendar is not also unknown")
    func noCascades() {
        let missing = loadRules(head + "detection:\n  sel: {type: login.failed}\n").diagnostics
        #expect(missing.map(\.message) == ["missing 'condition' in 'detection'"], "\(missing.map(\.message))")
        let calendar = messages(
            """
            calendar:
              name: office
              location: Europe/Berln
              time_intervals:
                - weekdays: ['monday:friday']
            ---
            \(head)detection:
              sel: {type: login.failed}
              hours: {effective_at|calendar: office}
              condition: sel and hours
            """)
        #expect(!calendar.contains { $0.hasPrefix("unknown calendar") }, "\(calendar)")
        #expect(calendar.contains { $0.contains("Europe/Berln") }, "\(calendar)")
    }

    static let loginFailed = """
        title: Failed sign-in
        id: login_failed
        level: low
        logsource: {product: openai, service: audit_log}
        detection:
          sel: {type: login.failed}
          condition: sel
        """

    @Test("every error of a correlation in one pass: type, timespan, rule reference, group-by, condition")
    func correlationInOnePass() {
        let found = loadRules(
            Self.loginFailed + """

                ---
                title: Brute force
                id: brute
                level: high
                correlation:
                  type: event_cuont
                  rules: [login_faild]
                  group-by: [actor.emial]
                  condition: {gte: many}
                """
        ).diagnostics
        let expected = [
            "missing required key 'timespan' in 'correlation'",
            "unknown correlation type 'event_cuont'; did you mean 'event_count'?",
            "correlation names unknown rule 'login_faild'; did you mean 'login_failed'?",
            "no documented event type carries group-by field 'actor.emial'; did you mean 'actor.email'?",
            "'gte' needs a whole number",
        ]
        #expect(found.sortedByLocation().map(\.message) == expected, "\(found.map(\.message))")
        #expect(found.allSatisfy { $0.ruleID == "brute" && $0.location != nil })
    }

    @Test("no cascades: a correlation naming a rule with errors, or a broken correlation, is not told it is unknown")
    func correlationNoCascade() {
        let found = loadRules(
            """
            title: Failed sign-in
            id: login_failed
            level: low
            logsource: {product: openai, service: audit_log}
            detection:
              sel: {type: login.failed}
              condition: sel and missing
            ---
            title: Broken
            id: broken
            correlation: {type: event_cuont, rules: [login_failed], timespan: 10m, condition: {gte: 5}}
            ---
            title: Chain
            id: chain
            correlation: {type: event_count, rules: [broken, login_failed], group-by: [actor.email], timespan: 1h,
                          condition: {gte: 2}}
            """
        ).diagnostics.map(\.message)
        #expect(
            found == [
                "unknown selection 'missing' in the condition",
                "unknown correlation type 'event_cuont'; did you mean 'event_count'?",
            ], "\(found)")
    }

    @Test("a group-by alias, or a group-by of a chain of correlations, is not checked against the schema")
    func groupByAliases() {
        let found = loadRules(
            Self.loginFailed + """

                ---
                title: By user
                id: by_user
                level: high
                correlation:
                  type: event_count
                  rules: [login_failed]
                  group-by: [who]
                  aliases: {who: {login_failed: actor.session.user.email}}
                  timespan: 10m
                  condition: {gte: 5}
                """
        ).diagnostics
        #expect(!found.hasErrors && found.isEmpty, "\(found.map(\.message))")
        // A correlation over rules for another log source groups by that source's fields.
        let windows = loadRules(
            """
            title: Logon failed
            id: logon_failed
            level: low
            logsource: {product: windows, service: security}
            detection:
              sel: {EventID: 4625}
              condition: sel
            ---
            title: Many failed logons
            id: many_failed_logons
            correlation: {type: event_count, rules: [logon_failed], group-by: [TargetUserName], timespan: 10m,
                          condition: {gte: 5}}
            """
        ).diagnostics
        #expect(!windows.contains { $0.message.contains("group-by field") }, "\(windows.map(\.message))")
    }
}
