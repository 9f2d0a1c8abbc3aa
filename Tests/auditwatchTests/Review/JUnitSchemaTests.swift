import AuditwatchTestSupport
import Foundation
import Testing

@Suite("rules test --junit against the Ant and Jenkins JUnit schemas")
struct JUnitSchemaTests {
    @Test("passes, failures, errors and control characters give a report both schemas accept")
    func validAgainstBothSchemas() throws {
        let directory = try makeTemporaryDirectory("aw-junit-schema")
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        title: Key created
        id: key_created
        level: low
        logsource: {product: openai, service: audit_log}
        detection:
          created: {type: api_key.created}
          condition: created
        tests:
          - name: "a key alerts <&> \\u001b[31m"
            events: [{id: a, type: api_key.created, effective_at: "2026-03-17T14:00:00Z"}]
            expect: [{rule: key_created, events: [a]}]
          - name: expects the wrong count
            events: [{id: b, type: api_key.created, effective_at: "2026-03-17T14:00:00Z"}]
            expect: [{rule: key_created, count: 2}]
          - name: names a rule that does not exist
            rules: [key_craeted]
            events: []
            expect: []
        """.write(to: directory.appendingPathComponent("key.yml"), atomically: true, encoding: .utf8)
        let report = directory.appendingPathComponent("report.xml")
        let outcome = try CommandRunner.run(["rules", "test", "--junit", report.path, directory.path])
        #expect(outcome.status == 1)
        let xml = try String(contentsOf: report, encoding: .utf8)
        #expect(xml.contains("tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\" time=\""))
        #expect(xml.contains("<failure type=\"alerts-differ\""))
        #expect(xml.contains("<error type=\"test-error\""))
        #expect(xml.range(of: #"timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d""#, options: .regularExpression) != nil)
        #expect(!xml.contains("\u{1B}"))
        let script = CommandRunner.repositoryRoot.appendingPathComponent("Tests/Schemas/validate-junit.py").path
        let check = try Shell.run(
            ["python3", script, report.path, "ant-junit.xsd", "jenkins-junit.xsd"], in: directory)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("ant-junit.xsd: valid") && check.stdout.contains("jenkins-junit.xsd: valid"))
    }

    @Test("the schemas are strict enough to fail: a failure without a type, a suite without a timestamp")
    func schemasReject() throws {
        let directory = try makeTemporaryDirectory("aw-junit-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.xml")
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="x"><testsuite name="t" tests="1"><testcase name="c" classname="t" time="0">
        <failure message="m">body</failure></testcase></testsuite></testsuites>
        """.write(to: bad, atomically: true, encoding: .utf8)
        let script = CommandRunner.repositoryRoot.appendingPathComponent("Tests/Schemas/validate-junit.py").path
        let check = try Shell.run(["python3", script, bad.path, "ant-junit.xsd"], in: directory)
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("ant-junit.xsd: invalid"))
    }
}
