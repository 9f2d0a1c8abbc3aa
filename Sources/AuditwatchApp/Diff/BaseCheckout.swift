public import Foundation

/// The rules as they were at a git revision, extracted to a temporary folder with `git archive`.
///
/// Paths are taken relative to the current directory (which may be deep inside the repository)
/// and handed to git relative to the top level. A path the revision lacks is left out: the first
/// pull request that adds `rules/` compares against no rules at all.
public struct BaseCheckout {
    /// The temporary folder (remove it when done).
    public var root: URL
    /// Where each given path's old version is, or nil when the revision lacks it.
    public var paths: [String?]

    public static func extract(paths: [String], revision: String) throws -> BaseCheckout {
        let top = try git(["rev-parse", "--show-toplevel"], revision: revision)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard (try? git(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], revision: revision)) != nil else {
            throw AppError.setup(
                "--base \(revision): git knows no such revision here. Name a branch, "
                    + "tag or commit; in CI, fetch it first (actions/checkout with fetch-depth: 0)")
        }
        let topURL = URL(fileURLWithPath: top).resolvingSymlinksInPath().standardizedFileURL
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var inRepository: [String?] = []
        for path in paths {
            let full = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : current.appendingPathComponent(path))
                .resolvingSymlinksInPath().standardizedFileURL
            guard full.path == topURL.path || full.path.hasPrefix(topURL.path + "/") else {
                throw AppError.setup(
                    "--base: \(path) is outside the git repository at \(top)")
            }
            let relative = String(full.path.dropFirst(topURL.path.count)).trimmingCharacters(in: ["/"])
            let spec = relative.isEmpty ? "." : relative
            let exists =
                (try? git(["-C", top, "cat-file", "-e", "\(revision):\(relative)"], revision: revision)) != nil
            inRepository.append(exists ? spec : nil)
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("auditwatch-base-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let present = inRepository.compactMap { $0 }
        if !present.isEmpty {
            let archive = root.appendingPathComponent("base.tar").path
            do {
                _ = try git(
                    ["-C", top, "archive", "--format=tar", "-o", archive, revision, "--"] + present,
                    revision: revision)
                try untar(archive, into: root.path, revision: revision)
            } catch {
                try? FileManager.default.removeItem(at: root)
                throw error
            }
        }
        return BaseCheckout(root: root, paths: inRepository.map { $0.map { root.appendingPathComponent($0).path } })
    }

    private static func untar(_ archive: String, into directory: String, revision: String) throws {
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xf", archive, "-C", directory]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            throw AppError.setup(
                "could not unpack the rules of \(revision)")
        }
    }

    /// Runs git; its failures become one sentence a rule author can act on.
    private static func git(_ arguments: [String], revision: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw AppError.setup(
                "--base needs git: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw AppError.setup(
                "--base needs git, and git is not installed")
        }
        guard process.terminationStatus == 0 else {
            throw AppError.setup(translated(message, revision: revision))
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func translated(_ message: String, revision: String) -> String {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("not a git repository") {
            return "--base \(revision) needs a git repository, and \(FileManager.default.currentDirectoryPath) "
                + "is not in one (use --against DIR to compare with a folder)"
        }
        let unknown = ["unknown revision", "not a valid object name", "bad revision"]
        if unknown.contains(where: text.contains) {
            return "--base \(revision): git knows no such revision here. Name a branch, tag or commit; "
                + "in CI, fetch it first (actions/checkout with fetch-depth: 0)"
        }
        return "git: " + text
    }
}
