import AuditwatchTestSupport
import Foundation
import Testing

/// The deployment examples, each checked by the validator its platform's operators use.
@Suite("examples/deploy: files that start")
struct DeploymentFileTests {
    private let deploy = CommandRunner.repositoryRoot.appendingPathComponent("examples/deploy")

    private func text(_ path: String) throws -> String {
        try String(contentsOf: deploy.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("the Containerfile passes hadolint and runs as a numeric user")
    func containerfile() throws {
        let linted = try ExternalTool.run("hadolint", ["--no-color", "Containerfile"], in: deploy)
        #expect(linted.status == 0, "hadolint: \(linted.stdout)\(linted.stderr)")
        #expect(linted.stdout.isEmpty, "no finding, not even info: \(linted.stdout)")
        let user = try #require(try text("Containerfile").split(separator: "\n").last { $0.hasPrefix("USER ") })
        #expect(user == "USER 10001:10001", "a numeric USER, which runAsNonRoot can check")
    }

    @Test("the Kubernetes manifest passes kubernetes-validate --strict and names the image's user")
    func kubernetes() throws {
        let validated = try ExternalTool.run(
            "kubernetes-validate", ["--strict", "kubernetes/auditwatch.yaml"], in: deploy)
        #expect(validated.status == 0, "kubernetes-validate: \(validated.stdout)\(validated.stderr)")
        #expect(!validated.stdout.contains("ERROR") && !validated.stderr.contains("ERROR"))
        let manifest = try text("kubernetes/auditwatch.yaml")
        // The kubelet refuses runAsNonRoot without a numeric user it can check.
        #expect(manifest.contains("runAsNonRoot: true"))
        #expect(manifest.contains("runAsUser: 10001"), "the uid of the Containerfile's USER")
        #expect(manifest.contains("fsGroup: 10001"), "the state volume is writable by that user")
    }

    @Test("the config inside the Kubernetes manifest passes `auditwatch check` (against a loopback API stand-in)")
    func kubernetesConfig() throws {
        let manifest = try text("kubernetes/auditwatch.yaml")
        let lines = manifest.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasSuffix("auditwatch.yml: |") })
        var config = lines[(start + 1)...].prefix { $0.hasPrefix("    ") || $0.isEmpty }.map { String($0.dropFirst(4)) }
            .joined(separator: "\n")
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let directory = try makeTemporaryDirectory("aw-k8s")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Only the paths of the image and the API's address change; everything else is checked as shipped.
        for (from, to) in [
            ("/usr/share/auditwatch/rules", CommandRunner.repositoryRoot.appendingPathComponent("rules").path),
            ("/var/lib/auditwatch/state.sqlite", directory.appendingPathComponent("state.sqlite").path),
            ("{admin_key: ", "{base_url: \"\(standIn.baseURL)\", admin_key: "),
        ] {
            #expect(config.contains(from), "\(from) in the manifest's config")
            config = config.replacingOccurrences(of: from, with: to)
        }
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let checked = try CommandRunner.run(
            ["check", "--config", path],
            environment: [
                "OPENAI_ADMIN_KEY": standIn.adminKey,
                "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T000/B000/XXXX",
            ])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stderr.contains("the admin key works"), "\(checked.stderr)")
    }

    @Test("the systemd unit passes systemd-analyze verify and starts without waiting for the API")
    func systemdUnit() throws {
        let unit = try text("auditwatch.service")
        #expect(!unit.contains("ExecStartPre"), "a check before start would block start-up during an API outage")
        #expect(!unit.contains("YOUR-ORG"))
        // systemd-analyze checks that ExecStart exists: point it at the binary under test, as
        // `make install PREFIX=…` does.
        let directory = try makeTemporaryDirectory("aw-unit")
        defer { try? FileManager.default.removeItem(at: directory) }
        let installed = unit.replacingOccurrences(of: "/usr/local/bin/auditwatch", with: CommandRunner.binary.path)
        #expect(installed != unit)
        let path = directory.appendingPathComponent("auditwatch.service").path
        try installed.write(toFile: path, atomically: true, encoding: .utf8)
        // Documentation=man:auditwatch(1) is checked where the man page is installed (InstallTests).
        let verified = try ExternalTool.run("systemd-analyze", ["verify", "--man=no", path])
        #expect(verified.status == 0, "systemd-analyze verify: \(verified.stdout)\(verified.stderr)")
        #expect(verified.stderr.isEmpty, "no complaint: \(verified.stderr)")
    }

    @Test("no placeholder is left in any example")
    func noPlaceholders() throws {
        let examples = CommandRunner.repositoryRoot.appendingPathComponent("examples")
        let files = FileManager.default.enumerator(atPath: examples.path)?.compactMap { $0 as? String } ?? []
        for file in files
        where file.hasSuffix(".yml") || file.hasSuffix(".yaml") || file.hasSuffix(".service") || file.hasSuffix("file")
        {
            let content = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
            #expect(!content.contains("YOUR-ORG"), "\(file)")
        }
    }
}
