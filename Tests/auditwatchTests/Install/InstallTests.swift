import AuditwatchTestSupport
import Foundation
import Testing

/// `make install PREFIX=…` into a temporary prefix, then a new operator's first steps with the
/// installed binary only: `init`, the example's tests, `check` against a loopback API stand-in.
@Suite("make install and a first start", .serialized)
struct InstallTests {
    /// swift-argument-parser's generate-manual, built next to the binary by `make test`.
    private var manualTool: URL {
        CommandRunner.binary.deletingLastPathComponent().appendingPathComponent("generate-manual")
    }

    private func install(into prefix: URL) throws -> CommandRunner.Outcome {
        #expect(
            FileManager.default.isExecutableFile(atPath: manualTool.path),
            "make test builds generate-manual first (swift build --product generate-manual)")
        // BIN and MANUAL_TOOL name what is built already: swift test holds the build folder.
        return try ExternalTool.run(
            "make",
            [
                "--no-print-directory", "install", "PREFIX=\(prefix.path)", "BIN=\(CommandRunner.binary.path)",
                "MANUAL_TOOL=\(manualTool.path)",
            ], in: CommandRunner.repositoryRoot)
    }

    @Test("the binary, the shipped rules, a man page from --help, completions and the systemd unit land under PREFIX")
    func installsEverything() throws {
        let directory = try makeTemporaryDirectory("aw-install")
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = directory.appendingPathComponent("prefix")
        let installed = try install(into: prefix)
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        let binary = prefix.appendingPathComponent("bin/auditwatch").path
        #expect(FileManager.default.isExecutableFile(atPath: binary))

        let rules = prefix.appendingPathComponent("share/auditwatch/rules").path
        let validated = try ExternalTool.run(binary, ["rules", "validate", "--strict", rules])
        #expect(validated.status == 0, "\(validated.stderr)")
        let tested = try ExternalTool.run(binary, ["rules", "test", "--require-coverage", rules])
        #expect(tested.status == 0 && tested.stdout.contains(" passed, 0 failed"), "\(tested.stdout)\(tested.stderr)")

        // The man page is the tool's own --help, for every subcommand.
        let page = try String(
            contentsOfFile: prefix.appendingPathComponent("share/man/man1/auditwatch.1").path, encoding: .utf8)
        #expect(page.contains(".Dt AUDITWATCH 1"))
        for subcommand in ["run", "rules", "alerts", "check", "init", "backtest"] {
            #expect(page.contains(".It Em \(subcommand)"), "\(subcommand) in the man page")
        }
        #expect(page.contains("backfill-notify"))

        let bash = prefix.appendingPathComponent("share/bash-completion/completions/auditwatch").path
        let syntax = try ExternalTool.run("bash", ["-n", bash])
        #expect(syntax.status == 0, "\(syntax.stderr)")
        #expect(try String(contentsOfFile: bash, encoding: .utf8).contains("backtest"))
        for path in ["share/zsh/site-functions/_auditwatch", "share/fish/vendor_completions.d/auditwatch.fish"] {
            let text = try String(contentsOfFile: prefix.appendingPathComponent(path).path, encoding: .utf8)
            #expect(text.contains("auditwatch") && text.contains("init"), "\(path)")
        }

        // The installed unit points at the installed binary; with the installed man page on
        // MANPATH, systemd-analyze finds Documentation=man:auditwatch(1) as well.
        let unit = prefix.appendingPathComponent("lib/systemd/system/auditwatch.service").path
        #expect(try String(contentsOfFile: unit, encoding: .utf8).contains("ExecStart=\(binary) run --config"))
        let verified = try ExternalTool.run(
            "systemd-analyze", ["verify", unit],
            environment: ["MANPATH": prefix.appendingPathComponent("share/man").path])
        #expect(verified.status == 0 && verified.stderr.isEmpty, "\(verified.stdout)\(verified.stderr)")
    }

    @Test(
        "auditwatch init with the installed binary: the project's rules test and check pass, the first run sends no backlog"
    )
    func initialisedProject() throws {
        let directory = try makeTemporaryDirectory("aw-init")
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = directory.appendingPathComponent("prefix")
        let installed = try install(into: prefix)
        #expect(installed.status == 0, "\(installed.stderr)")
        let binary = prefix.appendingPathComponent("bin/auditwatch").path
        let project = directory.appendingPathComponent("project")

        let initialised = try ExternalTool.run(binary, ["init", project.path])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        for path in [
            "auditwatch.yml", "rules/example_owner_invite.yml", "tests/example_owner_invite.yml",
            ".github/workflows/auditwatch-rules.yml",
        ] {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(path).path), "\(path)")
        }
        let workflow = try String(
            contentsOf: project.appendingPathComponent(".github/workflows/auditwatch-rules.yml"), encoding: .utf8)
        #expect(
            workflow
                == (try String(
                    contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("examples/ci/github-actions.yml"),
                    encoding: .utf8)),
            "init writes examples/ci/github-actions.yml")

        // What the project's CI runs.
        let validated = try ExternalTool.run(binary, ["rules", "validate", "--strict", "rules", "tests"], in: project)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        let tested = try ExternalTool.run(
            binary, ["rules", "test", "--require-coverage", "rules", "tests"], in: project)
        #expect(tested.status == 0 && tested.stdout.contains("2 passed, 0 failed"), "\(tested.stdout)\(tested.stderr)")

        // Trying it safely: the commented base_url pointed at a local stand-in of the API.
        let standIn = try AuditLogStandIn()
        defer { standIn.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        standIn.add(id: "inv-old", at: now - 1200, type: "scim.disabled")
        let configURL = project.appendingPathComponent("auditwatch.yml")
        let config = try String(contentsOf: configURL, encoding: .utf8)
        let tried = config.replacingOccurrences(
            of: "    # base_url: http://127.0.0.1:8080/v1", with: "    base_url: \(standIn.baseURL)")
        #expect(tried != config, "the starter config shows where a stand-in goes")
        try tried.write(to: configURL, atomically: true, encoding: .utf8)
        let environment = ["OPENAI_ADMIN_KEY": standIn.adminKey]
        let checked = try ExternalTool.run(
            binary, ["check", "--config", "auditwatch.yml"], environment: environment, in: project)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stderr.contains("source my-org: the admin key works"), "\(checked.stderr)")
        #expect(checked.stderr.contains("notifier console (stdout)"))

        let run = try ExternalTool.run(
            binary, ["run", "--config", "auditwatch.yml", "--once"], environment: environment, in: project)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty, "the first poll's backlog is not sent")
        #expect(!run.stderr.contains(standIn.adminKey))

        let again = try ExternalTool.run(binary, ["init", project.path])
        #expect(again.status == 1 && again.stderr.contains("already exist"), "init never overwrites: \(again.stderr)")
        #expect(try String(contentsOf: configURL, encoding: .utf8) == tried)
    }
}
