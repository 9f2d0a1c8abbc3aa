import AuditwatchCore
import Testing

private func alert(
    rule: String = "brute_force_user", level: RuleLevel = .high, tags: [String] = ["attack.t1110"],
    email: String? = "dana@acme.example", source: String? = "acme"
) -> Alert {
    Alert(
        id: "a", ruleID: rule, ruleTitle: "t", level: level, tags: tags,
        group: email.map { [GroupValue(field: "actor.email", value: $0)] } ?? [], count: 1, firstAt: 0, lastAt: 0,
        eventIDs: [], summary: "", source: source)
}

private func matcher(_ text: String) throws -> SilenceMatcher { try SilenceMatcher.parse(text).get() }

@Suite("Silences")
struct SilenceTests {
    @Test("=, != and =~ on rule, level, tags, source and group fields")
    func operators() throws {
        let subject = alert()
        for text in [
            "rule=brute_force_user", "rule!=other", "rule=~brute_.*", "level=high", "level!=low",
            "level=~high|critical",
            "tags=attack.t1110", "tags=~attack\\..*", "tags!=attack.t1078", "source=acme",
            "group.actor.email=dana@acme.example", "group.actor.email=~.*@acme\\.example", "group.missing=",
        ] {
            #expect(try matcher(text).matches(subject), "\(text)")
        }
        for text in [
            "rule=other", "rule!=brute_force_user", "rule=~brute", "level=low", "tags=other", "tags!=attack.t1110",
            "source=globex", "group.actor.email=eve@acme.example", "group.actor.email=~acme",
        ] {
            #expect(try !matcher(text).matches(subject), "\(text)")
        }
        #expect(try matcher("source=").matches(alert(source: nil)), "a missing value reads as empty")
    }

    @Test("a regex is anchored: it must match the whole value")
    func anchored() throws {
        #expect(try !matcher("rule=~force").matches(alert()))
        #expect(try matcher("rule=~.*force.*").matches(alert()))
        #expect(try !matcher("rule=~a|brute_force_user_x").matches(alert()), "alternation is anchored as a whole")
    }

    @Test("problems are located: the column of a bad regex, an unknown field, an unknown level")
    func problems() {
        guard case .failure(let regex) = SilenceMatcher.parse("rule=~(abc") else { Issue.record(); return }
        #expect(regex.column >= 7 && regex.message.contains("regex"), "\(regex)")
        guard case .failure(let field) = SilenceMatcher.parse("rulee=x") else { Issue.record(); return }
        #expect(field.column == 1 && field.message.contains("did you mean 'rule'"), "\(field.message)")
        guard case .failure(let level) = SilenceMatcher.parse("level=hgh") else { Issue.record(); return }
        #expect(level.column == 7, "\(level)")
        guard case .failure(let none) = SilenceMatcher.parse("rule") else { Issue.record(); return }
        #expect(none.message.contains("FIELD=VALUE"))
    }

    @Test("make: every problem at once; a silence must name something, say why and last a duration")
    func make() throws {
        let bad = Silence.make(
            id: "s", matchers: ["rule=x", "nope=1"], duration: "2x", author: "a", comment: " ", now: 0)
        #expect(bad.silence == nil)
        #expect(bad.problems.count == 3, "\(bad.problems)")
        #expect(bad.problems.first?.matcher == 1)
        let broad = Silence.make(id: "s", matchers: ["level!=low"], duration: "2h", author: "a", comment: "c", now: 0)
        #expect(broad.silence == nil && broad.problems[0].message.contains("empty value"))
        let none = Silence.make(id: "s", matchers: [], duration: "2h", author: "a", comment: "c", now: 0)
        #expect(none.silence == nil)
        let good = Silence.make(
            id: "s", matchers: ["rule=brute_force_user", "group.actor.email=dana@acme.example"], duration: "2h",
            author: "a", comment: "pentest", now: 1000)
        let made = try #require(good.silence)
        #expect(made.endsAt == 8200 && made.startsAt == 1000 && made.matchers.count == 2)
    }

    @Test("in force from start to end, all matchers needed; expiring ends it at once")
    func lifetime() throws {
        let silence = Silence(
            id: "s",
            matchers: [try matcher("rule=brute_force_user"), try matcher("group.actor.email=dana@acme.example")],
            startsAt: 100, endsAt: 200, author: "a", comment: "c")
        #expect(!silence.silences(alert(), at: 99))
        #expect(silence.silences(alert(), at: 100))
        #expect(silence.silences(alert(), at: 199))
        #expect(!silence.silences(alert(), at: 200))
        #expect(!silence.silences(alert(email: "eve@acme.example"), at: 150), "every matcher must hold")
        let ended = silence.expired(at: 150)
        #expect(ended.state(at: 150) == .expired && ended.endsAt == 150)
        #expect(silence.expired(at: 500).endsAt == 200, "an ended silence keeps its end")
        #expect(Silence.first(in: [ended, silence], silencing: alert(), at: 160)?.id == "s")
    }

    @Test("matchers round-trip as the text they were written in")
    func codable() throws {
        let text = "group.actor.email=~.*@acme\\.example"
        #expect(try matcher(text).description == text)
        #expect(
            SilenceJSON.object(
                Silence(
                    id: "s", matchers: [try matcher("rule=x")], startsAt: 0, endsAt: 60, author: "a\"", comment: "c"),
                now: 10
            ).contains(#""matchers":["rule=x"],"state":"active""#))
    }
}
