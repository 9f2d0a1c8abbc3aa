import AuditwatchTestSupport
import Foundation
import Testing

@Suite("examples/prometheus: alerting rules for auditwatch itself")
struct PrometheusRulesTests {
    private let folder = CommandRunner.repositoryRoot.appendingPathComponent("examples/prometheus")

    @Test("promtool check rules accepts them")
    func checkRules() throws {
        let checked = try ExternalTool.run("promtool", ["check", "rules", "auditwatch-alerts.yml"], in: folder)
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("SUCCESS"))
    }

    @Test(
        "promtool test rules: they fire on failing polls, dead letters, a failed reload and a down service, and not before"
    )
    func unitTests() throws {
        let tested = try ExternalTool.run("promtool", ["test", "rules", "auditwatch-alerts.test.yml"], in: folder)
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
    }

    @Test("every metric the rules use is one the service exposes")
    func namesExist() throws {
        let rules = try String(contentsOf: folder.appendingPathComponent("auditwatch-alerts.yml"), encoding: .utf8)
        let source = try String(
            contentsOf: CommandRunner.repositoryRoot.appendingPathComponent(
                "Sources/AuditwatchService/Metrics/ServiceMetrics.swift"), encoding: .utf8)
        let used = Set(
            rules.matches(of: /auditwatch_[a-z_]+/).map { String($0.output) }.map {
                $0.hasSuffix("_bucket") ? String($0.dropLast(7)) : $0
            })
        #expect(!used.isEmpty)
        for name in used { #expect(source.contains("\"\(name)\""), "\(name) is not a metric of ServiceMetrics") }
    }
}
