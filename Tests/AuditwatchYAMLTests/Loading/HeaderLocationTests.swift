import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones
import Testing

/// Problems of auditwatch's header keys point at the key that has them, not at the document.
@Suite("summary and notify problems are located at their keys")
struct HeaderLocationTests {
    @Test("a rule's summary error is at 'summary:'")
    func ruleSummary() {
        let text = MarkedText(
            """
            title: Summary
            id: summary_rule
            level: low
            logsource: {product: openai, service: audit_log}
            1️⃣summary: "{actor.email|shout} signed in"
            detection:
              sel: {type: login.succeeded}
              condition: sel
            """)
        let result = RuleLoader(zones: ZoneDatabase()).load(text: text.text, file: "r.yml")
        #expect(text.has(result.diagnostics, "unknown summary filter 'shout'", at: "1️⃣"), "\(result.diagnostics)")
    }

    @Test("a correlation's summary error is at 'summary:'")
    func correlationSummary() {
        let text = MarkedText(
            """
            title: Failed sign-in
            id: login_failed
            level: low
            logsource: {product: openai, service: audit_log}
            detection:
              sel: {type: login.failed}
              condition: sel
            ---
            title: Many failures
            id: many_failures
            level: high
            1️⃣summary: "{group.actor.session.user.email} failed many times {"
            correlation:
              type: event_count
              rules: [login_failed]
              group-by: [actor.session.user.email]
              timespan: 10m
              condition: {gte: 5}
            """)
        let result = RuleLoader(zones: ZoneDatabase()).load(text: text.text, file: "r.yml")
        #expect(text.has(result.diagnostics, "unclosed '{' in summary", at: "1️⃣"), "\(result.diagnostics)")
    }

    @Test("an unknown notifier is at 'notify:', for rules and correlations")
    func notify() throws {
        let text = MarkedText(
            """
            title: Failed sign-in
            id: login_failed
            level: low
            logsource: {product: openai, service: audit_log}
            1️⃣notify: [pager, slak]
            detection:
              sel: {type: login.failed}
              condition: sel
            ---
            title: Many failures
            id: many_failures
            level: high
            2️⃣notify: pagr
            correlation:
              type: event_count
              rules: [login_failed]
              group-by: [actor.session.user.email]
              timespan: 10m
              condition: {gte: 5}
            """)
        let result = RuleLoader(zones: ZoneDatabase()).load(text: text.text, file: "r.yml")
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics)")
        let problems = NotifierReferences.unknown(
            result.rules.map(\.rule), result.correlations.map(\.rule), known: ["pager", "slack"])
        #expect(problems.count == 2)
        #expect(text.has(problems, "rule names unknown notifier 'slak'; did you mean 'slack'?", at: "1️⃣"))
        #expect(text.has(problems, "rule names unknown notifier 'pagr'; did you mean 'pager'?", at: "2️⃣"))
    }
}
