import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones
import Foundation
import Testing

@testable import AuditwatchConfig

@Suite("The config reference and examples/auditwatch.yml")
struct ConfigReferenceTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("every key the decoder accepts is documented, and nothing else is")
    func complete() {
        #expect(ConfigReference.mismatches() == [])
        let sections = Set(ConfigReference.sections.map(\.path))
        #expect(
            sections.isSuperset(of: [
                "(top level)", "sources.<name>", "notifiers.<name>", "routes[]", "delivery", "http", "engine", "server",
                "logging", "secret",
            ]))
    }

    @Test("a key added to a decoder's list without an entry is reported")
    func detectsUndocumented() {
        var sections = ConfigReference.sections
        sections[0].accepted.insert("new_key")
        let sources = sections.firstIndex { $0.path == "sources.<name>" }!
        sections[sources].entries.removeAll { $0.key == "unavailable_after" }
        #expect(
            ConfigReference.mismatches(in: sections) == [
                "(top level): 'new_key' is accepted but undocumented",
                "sources.<name>: 'unavailable_after' is accepted but undocumented",
            ])
    }

    @Test("every key the reference lists is accepted by the decoder in its section")
    func keysDecode() throws {
        // A config that uses each key of each section once (values valid for the key).
        let text = """
            rules: [rules]
            state: s.sqlite
            state_password: {env: PGPASSWORD_AW}
            cluster: {lease: 30s, renew: 10s}
            sources:
              acme: {type: openai, admin_key: {env: K}, base_url: "http://127.0.0.1:1/v1", poll_interval: 1m, page_size: 10, overlap: 1m,
                     start: 1h, event_types: [login.failed], project_ids: [p], tenant_events: true, paging: before, unavailable_after: 5m,
                     time_zone: UTC, notifiers: [a]}
            sources_dir: orgs
            notifiers:
              a: {type: webhook, url: "https://x.example/h", secret: {file: /s}, rate_limit: 2/s, template: "{rule.id}"}
              b: {type: pagerduty, routing_key: "${R}"}
            routes:
              - {levels: [high], tags: [t], rules: [r], notifiers: [a], continue: true}
            default_notifiers: [b]
            delivery: {retry_for: 1h, backoff_base: 1s, backoff_cap: 1m, max_retry_after: 5m, drain: 5s}
            http: {ca_bundle: /c.pem, proxy: "http://p:3128", connect_timeout: 5s, timeout: 10s}
            engine: {lateness: 1m}
            polling: {concurrency: 4, per_host: 2}
            server: {listen: "127.0.0.1:9464", token: {env: T}}
            logging: {format: json, level: debug}
            placeholders: {company_domains: [acme.example]}
            placeholders_file: p.yml
            calendars:
              business_hours: {location: Europe/Berlin, time_intervals: [{weekdays: [monday:friday], times: [{start_time: "09:00", end_time: "17:00"}]}], holidays: ["2026-12-25"]}
            disabled_rules: [r1]
            rule_levels: {r2: low}
            """
        let parsed = YAMLDocumentReader.read(text, file: "t.yml")
        let document = try #require(parsed.documents.first)
        let decoded = ConfigDecoder.decode(document, file: "t.yml")
        #expect(decoded.diagnostics.isEmpty, "\(decoded.diagnostics.map(\.message))")
        // And a file of `sources_dir`.
        let organization = "name: globex\nadmin_key: {env: G}\n"
        let file = try #require(YAMLDocumentReader.read(organization, file: "orgs/g.yml").documents.first)
        let decodedOrganization = ConfigDecoder.decodeOrganization(file, file: "orgs/g.yml")
        #expect(decodedOrganization.diagnostics.isEmpty && decodedOrganization.source?.name == "globex")
        let used = Set((text + organization).matches(of: /([a-z_]+):/).map { String($0.output.1) })
        for section in ConfigReference.sections {
            for entry in section.entries {
                #expect(used.contains(entry.key), "\(section.path).\(entry.key) is exercised")
            }
        }
    }

    @Test("every template placeholder and filter of the reference parses in a notifier template")
    func templates() {
        let zones = ZoneDatabase()
        for (placeholder, _) in ConfigReference.templatePlaceholders {
            let body = placeholder.replacingOccurrences(of: "FIELD", with: "actor.email")
            let parsed = SummaryTemplate.parse(
                body, at: SourceLocation(file: "t", line: 1, column: 1), ruleID: "t",
                zones: { try? zones.zone($0).get() },
                notifier: true)
            #expect(parsed.diagnostics.isEmpty && parsed.template?.readsEvent == false, "\(placeholder)")
        }
        for (filter, _) in ConfigReference.templateFilters {
            let concrete = filter.replacingOccurrences(of: "ZONE", with: "Europe/Paris").replacingOccurrences(
                of: "TEXT", with: "x"
            )
            .replacingOccurrences(of: ":N", with: ":5")
            let parsed = SummaryTemplate.parse(
                "{alert.last_at|\(concrete)}", at: SourceLocation(file: "t", line: 1, column: 1), ruleID: "t",
                zones: { try? zones.zone($0).get() })
            #expect(parsed.diagnostics.isEmpty, "\(filter): \(parsed.diagnostics.map(\.message))")
        }
    }

    @Test("examples/auditwatch.yml decodes with no problem and shows every key")
    func example() throws {
        let path = Self.root.appendingPathComponent("examples/auditwatch.yml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let parsed = YAMLDocumentReader.read(text, file: path)
        let document = try #require(parsed.documents.first)
        let zones = ZoneDatabase()
        let decoded = ConfigDecoder.decode(document, file: path, zones: { try? zones.zone($0).get() })
        #expect(decoded.diagnostics.isEmpty, "\(decoded.diagnostics.map(\.message))")
        #expect(decoded.config?.notifiers.contains { $0.template != nil } == true)
        for section in ConfigReference.sections where !["secret", "calendars.<name>"].contains(section.path) {
            for entry in section.entries {
                #expect(text.contains("\(entry.key):"), "examples/auditwatch.yml shows \(section.path).\(entry.key)")
            }
        }
        #expect(text.contains("{env: ") && text.contains("{file: "), "both mapping forms of a secret")
        #expect(text.contains("|time:"), "the time: template filter")
    }
}
