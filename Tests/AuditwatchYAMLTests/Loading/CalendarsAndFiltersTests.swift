import AuditwatchCore
import AuditwatchYAML
import Foundation
import Testing

private let calendarDocument = """
    calendar:
      name: business_hours
      location: Europe/Berlin
      time_intervals:
        - weekdays: ['monday:friday']
          times: [{start_time: '08:00', end_time: '12:30'}, {start_time: '13:30', end_time: '18:00'}]
      holidays: ['2026-12-24']
    """

private let offHoursRule = """
    title: Key created outside business hours
    id: key_off_hours
    level: medium
    detection:
      key:
        type: api_key.created
      working:
        effective_at|calendar: business_hours
      condition: key and not working
    """

private func keyEvent(
    _ iso: String, actor: String = #"{"type": "session", "session": {"user": {"email": "a@x"}}}"#
) throws -> Event {
    let json = #"{"id": "k", "type": "api_key.created", "effective_at": \#(UTCTime.parse(iso)!), "actor": \#(actor)}"#
    return try Event(document: JSONDocument(parsing: json))
}

@Suite("Calendars and filters in rule files")
struct CalendarsAndFiltersTests {
    @Test(
        "a calendar rule fires outside local business hours only",
        arguments: [
            ("2026-03-30T06:30:00Z", false),  // Monday 08:30 CEST
            ("2026-03-30T10:45:00Z", true),  // Monday 12:45 CEST: lunch
            ("2026-03-30T16:00:00Z", true),  // Monday 18:00 CEST
            ("2026-03-27T06:30:00Z", true),  // Friday 07:30 CET: before opening in winter time
            ("2026-12-24T09:00:00Z", true),  // a holiday
            ("2026-03-28T10:00:00Z", true),  // Saturday
        ])
    func offHours(instant: String, fires: Bool) throws {
        let result = loadRules(calendarDocument + "\n---\n" + offHoursRule)
        let ruleSet = try #require(result.ruleSet, "\(result.diagnostics.map(\.message))")
        #expect(ruleSet.matches(try keyEvent(instant)).isEmpty == !fires)
    }

    @Test(
        "calendar mistakes are located",
        arguments: [
            ("Europe/Berlln", "unknown time zone 'Europe/Berlln'"),
            ("../../etc/passwd", "not an IANA time zone name"),
        ])
    func badZones(zone: String, fragment: String) {
        let text = calendarDocument.replacingOccurrences(of: "Europe/Berlin", with: zone)
        let result = loadRules(text + "\n---\n" + offHoursRule)
        let error = result.diagnostics.first { $0.severity == .error && $0.message.contains(fragment) }
        #expect(error?.location?.line == 3, "\(result.diagnostics.map(\.message))")
    }

    @Test(
        "more calendar mistakes",
        arguments: [
            ("times: [{start_time: '08:00', end_time: '25:00'}]", "times are HH:MM"),
            ("weekdays: ['mondya']", "did you mean 'monday'"),
            ("weekdays: ['friday:monday']", "not a valid weekdays value"),
            ("months: [13]", "not a valid months value"),
            ("times: [{start_time: '08:00', end_time: '08:00'}]", "must not start and end at the same time"),
            ("dayz: [1]", "unknown key 'dayz'"),
        ])
    func badIntervals(interval: String, fragment: String) {
        let text = "calendar:\n  name: c\n  location: UTC\n  time_intervals:\n    - \(interval)\n"
        let result = loadRules(text)
        #expect(
            result.diagnostics.contains { $0.severity == .error && $0.message.contains(fragment) },
            "\(result.diagnostics.map(\.message))")
    }

    @Test("a rule naming an unknown calendar is an error with a suggestion")
    func unknownCalendar() {
        let result = loadRules(
            calendarDocument + "\n---\n"
                + offHoursRule.replacingOccurrences(of: "calendar: business_hours", with: "calendar: busines_hours"))
        #expect(
            result.diagnostics.contains {
                $0.severity == .error
                    && $0.message.contains("unknown calendar 'busines_hours'; did you mean 'business_hours'")
            })
    }

    @Test("a filter excludes what it names, for the rules it names")
    func filterExcludes() throws {
        let text = """
            title: Key created by a service account
            id: key_by_service
            name: key_by_service_account
            level: medium
            detection:
              sel: {type: api_key.created, actor.api_key.type: service_account}
              condition: sel
            ---
            title: The CI account rotates its own key
            logsource: {product: openai, service: audit_log}
            filter:
              rules: [key_by_service_account]
              ci:
                actor.api_key.service_account.id: svc_ci
              condition: not ci
            """
        let result = loadRules(text)
        let ruleSet = try #require(result.ruleSet, "\(result.diagnostics.map(\.message))")
        let ci = try keyEvent(
            "2026-03-30T10:00:00Z",
            actor: #"{"type": "api_key", "api_key": {"type": "service_account", "service_account": {"id": "svc_ci"}}}"#)
        let other = try keyEvent(
            "2026-03-30T10:00:00Z",
            actor: #"{"type": "api_key", "api_key": {"type": "service_account", "service_account": {"id": "svc_etl"}}}"#
        )
        #expect(ruleSet.matches(ci).isEmpty)
        #expect(ruleSet.matches(other) == [0])
    }

    @Test(
        "filter mistakes",
        arguments: [
            ("rules: [nope]\n  x: {type: a}\n  condition: not x", "filter names unknown rule 'nope'"),
            ("x: {type: a}\n  condition: not x", "missing 'rules'"),
            ("rules: any\n  x: {type: a}\n  condition: x", "has no 'not'"),
        ])
    func filterMistakes(body: String, fragment: String) {
        let text =
            "title: r\nid: r\nlevel: low\ndetection:\n  s: {type: a}\n  condition: s\n---\ntitle: f\nlogsource: {product: openai}\nfilter:\n  \(body)\n"
        let result = loadRules(text)
        #expect(result.diagnostics.contains { $0.message.contains(fragment) }, "\(result.diagnostics.map(\.message))")
    }
}
