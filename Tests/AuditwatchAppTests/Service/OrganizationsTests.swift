import AuditwatchApp
import AuditwatchConfig
import AuditwatchCore
import AuditwatchService
import AuditwatchTestSupport
import Foundation
import Logging
import Testing

/// A config over the shipped pack with `sources_dir: orgs/`, in a fresh directory; the admin key
/// of every organization is read from a file (no environment needed in process).
private struct OrganizationsProject {
    let directory: URL
    var config: String { directory.appendingPathComponent("auditwatch.yml").path }
    var keyFile: String { directory.appendingPathComponent("admin-key").path }

    init(key: String = "sk-admin-test-SECRET", extra: String = "") throws {
        directory = try makeTemporaryDirectory("aw-organizations")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("orgs"), withIntermediateDirectories: true)
        try key.write(toFile: directory.appendingPathComponent("admin-key").path, atomically: true, encoding: .utf8)
        try """
        rules: [\(Repository.path("rules"))]
        state: state.sqlite
        sources_dir: orgs/
        notifiers:
          soc: {type: webhook, url: "http://127.0.0.1:9/soc"}
          pager: {type: webhook, url: "http://127.0.0.1:9/pager"}
        default_notifiers: [soc]
        \(extra)
        """.write(toFile: directory.appendingPathComponent("auditwatch.yml").path, atomically: true, encoding: .utf8)
    }

    /// Writes `orgs/NAME.yml`: the source keys, then `body`.
    func organization(_ name: String, baseURL: String = "http://127.0.0.1:9/v1", _ body: String = "") throws {
        try "admin_key: {file: \(keyFile)}\nbase_url: \(baseURL)\nstart: 1h\n\(body)\n".write(
            to: directory.appendingPathComponent("orgs/\(name).yml"), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite("Organizations: variants shared, per-organization tuning and notifiers")
struct OrganizationsTests {
    @Test("1,000 organizations tuned three ways run three compiled rule sets, the config's own among them")
    func thousandOrganizations() throws {
        let project = try OrganizationsProject()
        defer { project.remove() }
        let bodies = [
            "",
            "disabled_rules: [brute_force_source_ip]\nrule_levels: {brute_force_user: critical}",
            "time_zone: America/New_York",
        ]
        for index in 0..<1_000 {
            // The second tuning written two ways: the order of a list means nothing.
            let body =
                index % 3 == 1 && index % 2 == 0
                ? "rule_levels: {brute_force_user: critical}\ndisabled_rules: [brute_force_source_ip]"
                : bodies[index % 3]
            try project.organization(String(format: "org-%04d", index), body)
        }
        let captured = CapturedSink()
        let parts = try ConfiguredService.load(
            project.config, stateOverride: ":memory:", sink: captured.sink, log: { _ in })
        #expect(parts.config.sources.count == 1_000)
        let name = { (index: Int) in String(format: "org-%04d", index) }
        #expect(parts.variants[name(0)] == nil, "an untuned organization runs the config's rule set")
        let disabled = try #require(parts.variants[name(1)])
        let zoned = try #require(parts.variants[name(2)])
        #expect(disabled !== zoned)
        for index in 0..<1_000 {
            let expected: RuleVariant? = [nil, disabled, zoned][index % 3]
            #expect(parts.variants[name(index)] === expected, "\(name(index))")
        }
        #expect(Set(parts.variants.values.map { ObjectIdentifier($0) }).count == 2)
        let tuned = disabled.ruleSet
        #expect(tuned.correlations.contains { $0.rule.id == "brute_force_user" && $0.rule.level == .critical })
        #expect(!tuned.correlations.contains { $0.rule.id == "brute_force_source_ip" }, "disabled: not run")
        #expect(parts.ruleSet.correlations.contains { $0.rule.id == "brute_force_source_ip" })

        // Counted where they are compiled: three, the config's own included; four when every
        // organization is tuned apart from the config.
        let base = RuleTuning()
        #expect(
            try LoadedVariants.load(parts.config, base: base, ruleSet: parts.ruleSet, sources: SourceFiles()).compiled
                == 3)
        var retuned = parts.config
        for index in retuned.sources.indices where retuned.sources[index].tuning.isEmpty {
            retuned.sources[index].tuning.placeholders = ["expected_countries": ["DE"]]
        }
        #expect(
            try LoadedVariants.load(retuned, base: base, ruleSet: parts.ruleSet, sources: SourceFiles()).compiled == 4)
    }

    @Test("an organization's tuning naming a rule the pack lacks fails the load, located in its file")
    func variantErrors() throws {
        let project = try OrganizationsProject()
        defer { project.remove() }
        try project.organization("acme", "disabled_rules: [brute_force_usr]")
        try project.organization("globex", "calendars:\n  office_hours: {location: UTC}")
        let captured = CapturedSink()
        #expect {
            _ = try ConfiguredService.load(
                project.config, stateOverride: ":memory:", sink: captured.sink, log: { _ in })
        } throws: { error in
            guard case .diagnostics(let findings) = error as? AppError else { return false }
            let text = findings.parts.compactMap { part -> String? in
                if case .diagnostics(let found) = part {
                    return found.map { "\($0.location!) \($0.message)" }.joined(separator: "\n")
                }
                if case .note(_, let note) = part { return note }
                return nil
            }.joined(separator: "\n")
            let acme = project.directory.appendingPathComponent("orgs/acme.yml").path
            let globex = project.directory.appendingPathComponent("orgs/globex.yml").path
            return text.contains(
                "\(acme):4:18 the config names unknown rule 'brute_force_usr'; did you mean 'brute_force_user'?")
                && text.contains("\(globex):5:17 the config sets calendar 'office_hours', which no rule file defines")
                && text.contains("2 errors in the organizations' tuning")
        }
    }

    @Test("per organization: placeholders, time zone, disabled rules, levels and notifiers change its alerts only")
    func perOrganizationEffects() throws {
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        // Wednesday 2026-12-02 21:00 UTC: 22:00 in Berlin (the pack's business hours end at 20:00),
        // 16:00 in New York.
        let now: Int64 = 1_796_245_200
        for index in 0..<5 {
            standIn.add(id: "f\(index)", at: now - 600 + Int64(index * 10), email: "dana@acme.example")
        }
        standIn.addRaw(
            #"{"id":"kp","type":"login.succeeded","effective_at":\#(now - 500),"actor":{"type":"session","session":{"user":{"id":"u1","email":"eve@acme.example"},"ip_address":"203.0.113.9","ip_address_details":{"country":"KP"}}}}"#,
            at: now - 500)
        standIn.addRaw(
            #"{"id":"key","type":"api_key.created","effective_at":\#(now - 400),"actor":{"type":"session","session":{"user":{"id":"u2","email":"sam@acme.example"},"ip_address":"203.0.113.10"}},"api_key.created":{"id":"key_1","data":{"scopes":["/v1/*"]}}}"#,
            at: now - 400)
        let project = try OrganizationsProject(key: standIn.adminKey)
        defer { project.remove() }
        let url = standIn.baseURL
        try project.organization("plain", baseURL: url)
        try project.organization("quiet", baseURL: url, "disabled_rules: [brute_force_user]")
        try project.organization("loud", baseURL: url, "rule_levels: {brute_force_user: critical}\nnotifiers: [pager]")
        try project.organization("travel", baseURL: url, "placeholders: {expected_countries: [DE]}")
        try project.organization("newyork", baseURL: url, "time_zone: America/New_York")
        let captured = CapturedSink()
        let parts = try ConfiguredService.load(project.config, sink: captured.sink, log: { _ in })
        let service = try PollingService(
            service: parts, options: EngineOptions(), log: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            clock: { now })
        service.backfillNotify = true
        try service.pollOnce()
        let stored = try parts.store.alerts(sink: nil, status: nil)
        func rules(_ source: String) -> Set<String> {
            Set(stored.filter { $0.alert.source == source }.map(\.alert.ruleID))
        }
        func sinks(_ source: String, _ rule: String) -> [String] {
            stored.filter { $0.alert.source == source && $0.alert.ruleID == rule }.map(\.sink).sorted()
        }
        let brute = "brute_force_user", country = "login_from_unexpected_country"
        let night = "api_key_created_outside_business_hours"
        #expect(
            rules("plain").isSuperset(of: [brute, night]) && !rules("plain").contains(country), "\(rules("plain"))")
        #expect(!rules("quiet").contains(brute) && rules("quiet").contains(night), "\(rules("quiet"))")
        #expect(rules("travel").isSuperset(of: [brute, night, country]), "\(rules("travel"))")
        #expect(rules("newyork").contains(brute) && !rules("newyork").contains(night), "\(rules("newyork"))")
        let levels = { (source: String) in
            stored.filter { $0.alert.source == source && $0.alert.ruleID == brute }.map(\.alert.level)
        }
        #expect(levels("loud") == [.critical] && levels("plain") == [.high])
        #expect(
            sinks("loud", brute) == ["pager"] && sinks("loud", night) == ["pager"], "its notifiers, not the defaults")
        #expect(sinks("plain", brute) == ["soc"])
    }
}
