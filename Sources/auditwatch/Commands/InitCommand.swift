import ArgumentParser
import Foundation

/// `auditwatch init [DIR]`: a starter project to try auditwatch safely and keep rules in git.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter project: auditwatch.yml, an example rule with its tests, and a CI workflow.",
        discussion: """
            The config sends alerts to standard output (a `stdout` notifier) and reads one \
            organization whose Admin API key comes from the environment (OPENAI_ADMIN_KEY). \
            Existing files are never overwritten unless --force.
            """
    )

    @Argument(help: ArgumentHelp("The folder to write into (created when missing).", valueName: "dir"))
    var directory = "."

    @Flag(name: .long, help: "Overwrite files that already exist.")
    var force = false

    func run() throws {
        let base = URL(fileURLWithPath: directory)
        let manager = FileManager.default
        let existing = StarterProject.files.map(\.path).filter {
            manager.fileExists(atPath: base.appendingPathComponent($0).path)
        }
        if !existing.isEmpty && !force {
            StandardError.line(
                "auditwatch: \(existing.joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : "") in \(directory); nothing was written (--force overwrites)"
            )
            throw ExitCode(1)
        }
        for file in StarterProject.files {
            let url = base.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try (file.text + "\n").write(to: url, atomically: true, encoding: .utf8)
            } catch {
                StandardError.line("auditwatch: cannot write \(url.path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            print(
                "created " + (directory == "." ? file.path : (directory as NSString).appendingPathComponent(file.path)))
        }
        let enter = directory == "." ? "" : "\n  cd \(directory)"
        print(
            """

            Next:\(enter)
              auditwatch rules test --require-coverage rules tests   # the example rule's tests
              export OPENAI_ADMIN_KEY=…                    # an Admin API key (Settings → Organization → Admin keys)
              auditwatch check --config auditwatch.yml     # config, rules, secrets, and that the key reads the audit log
              auditwatch backtest --config auditwatch.yml --since 7d   # what would have fired; notifies no one
              auditwatch run --config auditwatch.yml       # the service; the first poll's backlog is recorded, not sent
            """)
    }
}
