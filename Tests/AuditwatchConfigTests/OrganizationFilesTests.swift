import AuditwatchConfig
import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

/// `auditwatch.yml` and the files of its `sources_dir`, written into a fresh directory.
private struct Project {
    let directory: URL
    var config: String { directory.appendingPathComponent("auditwatch.yml").path }

    init(_ yaml: String, organizations: [String: String]) throws {
        directory = try makeTemporaryDirectory("aw-orgs")
        try yaml.write(
            toFile: directory.appendingPathComponent("auditwatch.yml").path, atomically: true, encoding: .utf8)
        let orgs = directory.appendingPathComponent("orgs")
        try FileManager.default.createDirectory(at: orgs, withIntermediateDirectories: true)
        for (name, text) in organizations {
            try text.write(to: orgs.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    func file(_ name: String) -> String { directory.appendingPathComponent("orgs/" + name).path }
    func remove() { try? FileManager.default.removeItem(at: directory) }
}

private func describe(_ diagnostic: Diagnostic) -> String {
    "\(diagnostic.location.map { "\($0)" } ?? "-"): \(diagnostic.message)"
}

private let header = """
    sources_dir: orgs/
    notifiers:
      soc: {type: webhook, url: "http://127.0.0.1:9/soc"}
      acme-slack: {type: webhook, url: "http://127.0.0.1:9/acme"}
    default_notifiers: [soc]

    """

@Suite("sources_dir: one organization per file")
struct OrganizationFilesTests {
    @Test("an organization file holds a source's keys and the organization's tuning and notifiers; sources: joins it")
    func decodesEveryKey() throws {
        let project = try Project(
            header + """
                sources:
                  inline: {admin_key: "${K}", time_zone: Europe/Paris, disabled_rules: [login_failed]}
                """,
            organizations: [
                "acme.yml": """
                name: acme-corp
                admin_key: {file: /run/secrets/acme}
                base_url: http://127.0.0.1:8080/v1
                poll_interval: 30s
                placeholders: {expected_countries: [DE, FR]}
                calendars:
                  business_hours: {holidays: ['2026-12-24']}
                time_zone: America/New_York
                disabled_rules: [brute_force_source_ip]
                rule_levels: {brute_force_user: critical}
                notifiers: [acme-slack]
                """,
                "globex.yaml": "admin_key: ${GLOBEX_KEY}\n",
                ".hidden.yml": "this is: [not read\n",
                "notes.txt": "not an organization\n",
            ])
        defer { project.remove() }
        let loaded = ConfigLoader.load(project.config)
        let config = try #require(loaded.config, "\(loaded.diagnostics.map(describe))")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(describe))")
        #expect(
            config.sources.map(\.name) == ["inline", "acme-corp", "globex"], "sources: first, then the files by name")
        let acme = config.sources[1]
        #expect(acme.pollInterval == 30 && acme.baseURL == "http://127.0.0.1:8080/v1")
        #expect(acme.tuning.placeholders == ["expected_countries": ["DE", "FR"]])
        #expect(acme.tuning.calendars["business_hours"] != nil)
        #expect(acme.tuning.timeZone?.value == "America/New_York")
        #expect(
            acme.tuning.timeZone?.location
                == AuditwatchCore.SourceLocation(file: project.file("acme.yml"), line: 8, column: 12))
        #expect(acme.tuning.disabledRules.map(\.value) == ["brute_force_source_ip"])
        #expect(acme.tuning.ruleLevels.map(\.rule.value) == ["brute_force_user"])
        #expect(acme.tuning.ruleLevels.map(\.level) == [.critical])
        #expect(acme.notifiers == ["acme-slack"])
        #expect(acme.location == AuditwatchCore.SourceLocation(file: project.file("acme.yml"), line: 1, column: 1))
        let globex = config.sources[2]
        #expect(globex.notifiers == nil && globex.tuning.isEmpty, "the file's name is the name when none is given")
        #expect(config.sources[0].tuning.timeZone?.value == "Europe/Paris")
        #expect(config.sources[0].tuning.disabledRules.map(\.value) == ["login_failed"])
    }

    @Test("every problem of every file is reported, located, and nothing loads")
    func diagnosticsAreLocated() throws {
        let project = try Project(
            header + """
                sources:
                  acme: {admin_key: "${K}"}
                """,
            organizations: [
                "a-typo.yml": "admin_key: ${K}\npol_interval: 1m\n",
                "b-dup.yml": "# the same organization again\nname: acme\nadmin_key: ${K}\n",
                "c-notifier.yml": "admin_key: ${K}\nnotifiers: [acme-slak]\n",
                "d-zone.yml": "admin_key: ${K}\ntime_zone: Europe/Berlinn\n",
                "e-nokey.yml": "base_url: https://api.openai.com/v1\n",
                "f-level.yml": "admin_key: ${K}\nrule_levels: {brute_force_user: severe}\n",
                "g-dup-files.yml": "name: globex\nadmin_key: ${K}\n",
                "h-dup-files.yml": "name: globex\nadmin_key: ${K}\n",
                "i-broken.yml": "admin_key: [${K}\n",
            ])
        defer { project.remove() }
        let loaded = ConfigLoader.load(project.config)
        #expect(loaded.config == nil, "fails closed")
        func find(_ file: String, _ text: String) -> Diagnostic? {
            loaded.diagnostics.first { $0.location?.file == project.file(file) && $0.message.contains(text) }
        }
        let all = loaded.diagnostics.map(describe).joined(separator: "\n")
        let typo = try #require(find("a-typo.yml", "unknown key 'pol_interval'"), "\(all)")
        #expect(typo.message.contains("did you mean 'poll_interval'"), "\(typo.message)")
        #expect(typo.location?.line == 2 && typo.location?.column == 1)
        let duplicate = try #require(find("b-dup.yml", "duplicate organization 'acme'"), "\(all)")
        #expect(duplicate.location?.line == 2 && duplicate.location?.column == 1)
        #expect(duplicate.message.contains("\(project.config):7:3"), "names where sources: defines it: \(duplicate)")
        let files = try #require(find("h-dup-files.yml", "duplicate organization 'globex'"), "\(all)")
        #expect(files.message.contains("\(project.file("g-dup-files.yml")):1:1"), "\(files.message)")
        let notifier = try #require(find("c-notifier.yml", "unknown notifier 'acme-slak'"), "\(all)")
        #expect(notifier.message.contains("did you mean 'acme-slack'"))
        #expect(notifier.location?.line == 2 && notifier.location?.column == 12)
        let zone = try #require(find("d-zone.yml", "unknown time zone 'Europe/Berlinn'"), "\(all)")
        #expect(zone.message.contains("did you mean 'Europe/Berlin'"), "\(zone.message)")
        #expect(zone.location?.line == 2 && zone.location?.column == 12)
        let key = try #require(find("e-nokey.yml", "needs 'admin_key'"), "\(all)")
        #expect(key.location?.line == 1 && key.location?.column == 1)
        let level = try #require(find("f-level.yml", "unknown level 'severe'"), "\(all)")
        #expect(level.location?.line == 2 && level.location?.column == 33)
        #expect(
            loaded.diagnostics.contains { $0.location?.file == project.file("i-broken.yml") && $0.severity == .error },
            "a YAML error is located in its file: \(all)")
        #expect(
            loaded.sources.line(2, of: project.file("a-typo.yml")) == "pol_interval: 1m",
            "the files' text renders caret lines")
    }

    @Test("a sources_dir that is not a directory is an error at the key's value")
    func missingDirectory() throws {
        let project = try Project("sources_dir: nowhere\n", organizations: [:])
        defer { project.remove() }
        let loaded = ConfigLoader.load(project.config)
        #expect(loaded.config == nil)
        let problem = try #require(loaded.diagnostics.first)
        #expect(problem.message.contains("'sources_dir' is not a directory"), "\(problem.message)")
        #expect(problem.location == AuditwatchCore.SourceLocation(file: project.config, line: 1, column: 14))
    }
}
