import AuditwatchConfig
import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones
import Foundation
import Testing

/// The shipped pack, found from this file (Tests/AuditwatchYAMLTests/Loading/…).
private let packPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path

/// The tuning an `auditwatch.yml` with `text` sets.
private func tuning(_ text: String) throws -> RuleTuning {
    let parsed = YAMLDocumentReader.read(text, file: "auditwatch.yml")
    let zones = ZoneDatabase()
    let decoded = ConfigDecoder.decode(
        try #require(parsed.documents.first), file: "auditwatch.yml", zones: { try? zones.zone($0).get() })
    let config = try #require(decoded.config, "\(decoded.diagnostics.map(\.message))")
    return config.tuning
}

private func load(_ text: String, tuning: RuleTuning = RuleTuning()) -> RuleLoader.Loaded {
    var loader = RuleLoader(zones: ZoneDatabase())
    loader.tuning = tuning
    return loader.load(text: text, file: "rules.yml")
}

/// The alerts `events` (JSON texts) raise with `ruleSet`, as rule ids.
private func alerts(_ ruleSet: RuleSet, _ events: [String]) throws -> [String] {
    var engine = DetectionEngine(ruleSet: ruleSet)
    var raised: [Alert] = []
    for json in events { raised += engine.process(try Event(document: JSONDocument(parsing: json))) }
    raised += engine.finish()
    return raised.map(\.ruleID)
}

private func keyCreated(_ iso: String) -> String {
    #"{"id": "k-\#(iso)", "type": "api_key.created", "effective_at": \#(UTCTime.parse(iso)!), "actor": {"type": "session", "session": {"user": {"email": "ann@acme.example"}}}, "api_key.created": {"id": "key_1"}}"#
}

private let placeholderRule = """
    placeholders:
      office: [198.51.100.0/24]
      domains: [acme.example, '*.acme.example']
      nobody: []
    ---
    title: Invite outside the company from outside the office
    id: outside
    level: medium
    logsource: {product: openai, service: audit_log}
    detection:
      invite:
        type: invite.sent
      company:
        details.data.email|endswith|expand: '@%domains%'
      office:
        actor.ip|cidr|expand: '%office%'
      excluded:
        actor.email|expand: '%nobody%'
      condition: invite and not company and not office and not excluded
    """

private func invite(_ email: String, from ip: String) -> String {
    #"{"id": "i-\#(email)", "type": "invite.sent", "effective_at": 1773748800, "actor": {"type": "session", "session": {"user": {"email": "erin@acme.example"}, "ip_address": "\#(ip)"}}, "invite.sent": {"id": "inv", "data": {"email": "\#(email)"}}}"#
}

@Suite("Tuning the pack without forking it: placeholders, calendars, disabled rules, levels")
struct RuleTuningTests {
    @Test("New York business hours come from one config key; the same events alert differently than in Berlin")
    func newYorkBusinessHours() throws {
        // Tuesday 2026-03-17: 10:00Z is 11:00 in Berlin (open) and 06:00 in New York (closed);
        // 21:00Z is 22:00 in Berlin (closed) and 17:00 in New York (open, EDT since March 8).
        let events = [keyCreated("2026-03-17T10:00:00Z"), keyCreated("2026-03-17T21:00:00Z")]
        let berlin = RuleLoader(zones: ZoneDatabase()).load([packPath])
        let berlinRules = try #require(
            berlin.ruleSet, "\(berlin.diagnostics.filter { $0.severity == .error }.map(\.message))")
        let berlinAlerts = try alerts(berlinRules, events).filter { $0 == "api_key_created_outside_business_hours" }
        #expect(berlinAlerts.count == 1)

        var loader = RuleLoader(zones: ZoneDatabase())
        loader.tuning = try tuning("calendars:\n  business_hours: {location: America/New_York}\n")
        let newYork = loader.load([packPath])
        let newYorkRules = try #require(
            newYork.ruleSet, "\(newYork.diagnostics.filter { $0.severity == .error }.map(\.message))")
        var engine = DetectionEngine(ruleSet: newYorkRules)
        let early = engine.process(try Event(document: JSONDocument(parsing: events[0])))
        let late = engine.process(try Event(document: JSONDocument(parsing: events[1])))
        #expect(early.map(\.ruleID).contains("api_key_created_outside_business_hours"))
        #expect(!late.map(\.ruleID).contains("api_key_created_outside_business_hours"))
        #expect(newYork.calendars["business_hours"]?.zone.name == "America/New_York")
    }

    @Test("calendar settings replace only the keys they name, and are checked")
    func calendarSettings() throws {
        let pack =
            "calendar:\n  name: hours\n  location: Europe/Berlin\n  time_intervals: [{weekdays: ['monday:friday'], times: [{start_time: '09:00', end_time: '17:00'}]}]\n  holidays: ['2026-03-17']\n"
        let holidayCleared = load(pack, tuning: try tuning("calendars:\n  hours: {holidays: []}\n"))
        let calendar = try #require(holidayCleared.calendars["hours"])
        #expect(calendar.contains(UTCTime.parse("2026-03-17T10:00:00Z")!))
        #expect(calendar.zone.name == "Europe/Berlin")
        let unknown = load(pack, tuning: try tuning("calendars:\n  hourz: {location: UTC}\n"))
        #expect(unknown.diagnostics.contains { $0.severity == .error && $0.message.contains("did you mean 'hours'") })
        let badZone = load(pack, tuning: try tuning("calendars:\n  hours: {location: America/Nowhere}\n"))
        #expect(
            badZone.diagnostics.contains {
                $0.severity == .error && $0.message.contains("America/Nowhere") && $0.location?.file == "auditwatch.yml"
            })
        let parsed = YAMLDocumentReader.read("calendars:\n  hours: {timezone: UTC}\n", file: "auditwatch.yml")
        let decoded = ConfigDecoder.decode(parsed.documents[0], file: "auditwatch.yml")
        #expect(decoded.diagnostics.contains { $0.message.contains("unknown key 'timezone'") })
    }

    @Test("expand placeholders: lists from the rule files, combined with cidr and endswith, empty lists match nothing")
    func placeholders() throws {
        let result = load(placeholderRule)
        let ruleSet = try #require(result.ruleSet, "\(result.diagnostics.map(\.message))")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(try alerts(ruleSet, [invite("pat@partner.example", from: "203.0.113.9")]) == ["outside"])
        #expect(try alerts(ruleSet, [invite("kim@labs.acme.example", from: "203.0.113.9")]).isEmpty)
        #expect(try alerts(ruleSet, [invite("kim@acme.example", from: "203.0.113.9")]).isEmpty)
        #expect(try alerts(ruleSet, [invite("pat@partner.example", from: "198.51.100.7")]).isEmpty)
    }

    @Test("the config's placeholder values replace the files' defaults whole")
    func configWins() throws {
        let result = load(
            placeholderRule, tuning: try tuning("placeholders:\n  domains: [partner.example]\n  office: 192.0.2.0/24\n")
        )
        let ruleSet = try #require(result.ruleSet, "\(result.diagnostics.map(\.message))")
        #expect(try alerts(ruleSet, [invite("kim@acme.example", from: "198.51.100.7")]) == ["outside"])
        #expect(try alerts(ruleSet, [invite("pat@partner.example", from: "203.0.113.9")]).isEmpty)
        #expect(result.placeholders["office"] == ["192.0.2.0/24"])
    }

    @Test("a placeholder nobody defined warns, located, and matches nothing")
    func undefinedPlaceholder() throws {
        let text =
            "title: t\nid: r\ndetection:\n  sel:\n    type: invite.sent\n    details.data.email|expand: '%vip%'\n  other:\n    type: login.failed\n  condition: sel or other\n"
        let result = load(text)
        let warning = try #require(result.diagnostics.first { $0.message.contains("'%vip%' has no values") })
        #expect(warning.severity == .warning)
        #expect(warning.location?.line == 6)
        let ruleSet = try #require(result.ruleSet)
        #expect(try alerts(ruleSet, [invite("x@y", from: "1.2.3.4")]).isEmpty)
        let negated = load(
            "title: t\nid: r\ndetection:\n  sel:\n    type: invite.sent\n    details.data.email|neq|expand: '%vip%'\n  condition: sel\n"
        )
        #expect(try alerts(try #require(negated.ruleSet), [invite("x@y", from: "1.2.3.4")]).isEmpty)
    }

    @Test("expansion: combinations, the literal \\%, text that is no placeholder")
    func expansions() {
        let values = ["a": ["1", "2"], "b": ["x", "y"]]
        #expect(
            PlaceholderExpansion.expansions(of: "%a%-%b%", placeholders: values).values == ["1-x", "1-y", "2-x", "2-y"])
        #expect(PlaceholderExpansion.expansions(of: "100\\% %a%", placeholders: values).values == ["100% 1", "100% 2"])
        #expect(PlaceholderExpansion.expansions(of: "50% off", placeholders: values).values == ["50% off"])
        #expect(PlaceholderExpansion.expansions(of: "%c%", placeholders: values).missing == ["c"])
        let many = (0..<200).map(String.init)
        let blown = load(
            "placeholders: {n: [\(many.joined(separator: ", "))]}\n---\ntitle: t\nid: r\ndetection:\n  sel: {type|expand: '%n%%n%'}\n  condition: sel\n"
        )
        #expect(blown.diagnostics.contains { $0.severity == .error && $0.message.contains("more than 10000 values") })
    }

    @Test("disabled_rules and rule_levels apply to rules and correlations; unknown names are errors")
    func disabledAndLevels() throws {
        let text =
            "title: a\nid: rule_a\nlevel: low\ndetection:\n  sel: {type: login.failed}\n  condition: sel\n---\ntitle: b\nid: rule_b\ndetection:\n  sel: {type: login.failed}\n  condition: sel\n---\ntitle: c\nid: corr_c\ncorrelation: {type: event_count, rules: [rule_b], group-by: [actor.email], timespan: 1h, condition: {gte: 2}}\n"
        let result = load(
            text, tuning: try tuning("disabled_rules: [rule_a]\nrule_levels: {corr_c: critical, rule_b: high}\n"))
        #expect(result.rules.first { $0.rule.id == "rule_a" }?.rule.enabled == false)
        #expect(result.rules.first { $0.rule.id == "rule_b" }?.rule.level == .high)
        #expect(result.correlations.first?.rule.level == .critical)
        let ruleSet = try #require(result.ruleSet)
        let failure =
            #"{"id": "f", "type": "login.failed", "effective_at": 1, "actor": {"type": "session", "session": {"user": {"email": "a@x"}}}}"#
        var engine = DetectionEngine(ruleSet: ruleSet)
        var raised = engine.process(try Event(document: JSONDocument(parsing: failure)))
        raised += engine.process(
            try Event(document: JSONDocument(parsing: failure.replacingOccurrences(of: "\"f\"", with: "\"g\""))))
        raised += engine.finish()  // correlation matches wait for the watermark; the input ends here
        #expect(raised.map(\.ruleID) == ["corr_c"])
        #expect(raised.first?.level == .critical)
        let typo = load(text, tuning: try tuning("disabled_rules: [rule_x]\nrule_levels: {rule_bb: low}\n"))
        #expect(typo.diagnostics.filter { $0.severity == .error && $0.message.contains("unknown rule") }.count == 2)
        let parsed = YAMLDocumentReader.read("rule_levels: {rule_a: severe}\n", file: "auditwatch.yml")
        #expect(
            ConfigDecoder.decode(parsed.documents[0], file: "auditwatch.yml").diagnostics.contains {
                $0.message.contains("unknown level 'severe'")
            })
    }

    @Test("a placeholders file has the shape of the pack's placeholders document")
    func placeholdersFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aw-placeholders-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yml")
        try "placeholders:\n  company_domains: [globex.example]\n  ci_service_accounts: []\n".write(
            to: good, atomically: true, encoding: .utf8)
        let loaded = PlaceholderFile.load(good.path)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.placeholders == ["company_domains": ["globex.example"], "ci_service_accounts": []])
        let bad = directory.appendingPathComponent("bad.yml")
        try "company_domains: [globex.example]\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(PlaceholderFile.load(bad.path).diagnostics.contains { $0.severity == .error })
        #expect(
            PlaceholderFile.load(directory.appendingPathComponent("none.yml").path).diagnostics.contains {
                $0.message.contains("cannot read")
            })
    }

    @Test("filters expand placeholders too; a placeholder defined twice in the rule files is an error")
    func filtersAndDuplicates() throws {
        let text = """
            placeholders: {on_call: [oncall@acme.example]}
            ---
            title: Any failed sign-in
            id: failed
            level: low
            detection:
              sel: {type: login.failed}
              condition: sel
            ---
            title: The on-call engineer mistypes at night
            logsource: {product: openai, service: audit_log}
            filter:
              rules: [failed]
              on_call:
                actor.email|expand: '%on_call%'
              condition: not on_call
            """
        let result = load(text)
        let ruleSet = try #require(result.ruleSet, "\(result.diagnostics.map(\.message))")
        func failure(_ email: String) -> String {
            #"{"id": "f-\#(email)", "type": "login.failed", "effective_at": 1, "actor": {"type": "session", "session": {"user": {"email": "\#(email)"}}}}"#
        }
        #expect(try alerts(ruleSet, [failure("oncall@acme.example")]).isEmpty)
        #expect(try alerts(ruleSet, [failure("bob@acme.example")]) == ["failed"])
        let twice = load("placeholders: {a: [x]}\n---\nplaceholders: {a: [y]}\n")
        #expect(twice.diagnostics.contains { $0.severity == .error && $0.message.contains("'a' is defined twice") })
    }
}
