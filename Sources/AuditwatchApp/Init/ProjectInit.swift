import Foundation

/// `auditwatch init [DIR]`: the starter project, never over existing files unless `force`.
public struct ProjectInit {
    public var directory: String
    public var force: Bool

    public init(directory: String, force: Bool) {
        self.directory = directory
        self.force = force
    }

    public func run(out: any LineOutput) throws(AppError) {
        let base = URL(fileURLWithPath: directory)
        let manager = FileManager.default
        let existing = StarterProject.files.map(\.path).filter {
            manager.fileExists(atPath: base.appendingPathComponent($0).path)
        }
        if !existing.isEmpty && !force {
            throw .failure(
                "\(existing.joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : "") in \(directory); nothing was written (--force overwrites)"
            )
        }
        for file in StarterProject.files {
            let url = base.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try (file.text + "\n").write(to: url, atomically: true, encoding: .utf8)
            } catch {
                throw .failure("cannot write \(url.path): \(error.localizedDescription)")
            }
            out.line(
                "created " + (directory == "." ? file.path : (directory as NSString).appendingPathComponent(file.path)))
        }
        let enter = directory == "." ? "" : "\n  cd \(directory)"
        out.line(
            """

            Next:\(enter)
              auditwatch rules test --require-coverage rules tests   # the example rule's tests
              export OPENAI_ADMIN_KEY=…                    # an Admin API key (Settings → Organization → Admin keys)
              auditwatch check --config auditwatch.yml     # config, rules, secrets, and that the key reads the audit log
              auditwatch backtest --config auditwatch.yml --since 7d   # what would have fired; notifies no one
              auditwatch run --config auditwatch.yml       # the service; the first poll's backlog is recorded, not sent
            """)
        out.flush()
    }
}
