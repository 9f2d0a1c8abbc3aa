import AuditwatchTestSupport
import Foundation

/// A copy of examples/rules-repo as a pull request: `origin/main` holds the rules as shipped, the
/// checked-out branch `change` has a second commit that lowers the bulk-key threshold from 3 to 2
/// (and updates its tests), the way a reviewer meets it in CI.
struct RulesRepository {
    /// The working clone (the job's checkout).
    var work: URL

    static func thresholdChange() throws -> RulesRepository {
        let root = try makeTemporaryDirectory("aw-rules-repo")
        let origin = root.appendingPathComponent("origin.git"), work = root.appendingPathComponent("work")
        try git(["init", "-q", "--bare", "-b", "main", origin.path], in: root)
        try FileManager.default.copyItem(
            at: CommandRunner.repositoryRoot.appendingPathComponent("examples/rules-repo"), to: work)
        try git(["init", "-q", "-b", "main"], in: work)
        try git(["add", "-A"], in: work)
        try git(["commit", "-q", "-m", "Globex rules"], in: work)
        try git(["remote", "add", "origin", origin.path], in: work)
        try git(["push", "-q", "origin", "main"], in: work)
        try git(["fetch", "-q", "origin"], in: work)
        try git(["checkout", "-q", "-b", "change"], in: work)
        try edit(
            work.appendingPathComponent("rules/api-keys/keys_created_in_bulk.yml"),
            "  condition: {gte: 3}", "  condition: {gte: 2}")
        try edit(
            work.appendingPathComponent("tests/api-keys.yml"),
            "events: [ny-4, ny-5, ny-6], count: 3}", "events: [ny-4, ny-5], count: 2}")
        try edit(
            work.appendingPathComponent("tests/api-keys.yml"), "two keys in a project do not alert",
            "one key in a project does not alert")
        try edit(
            work.appendingPathComponent("tests/api-keys.yml"),
            "      - {id: k-2, type: api_key.created, effective_at: \"2026-03-17T15:00:00Z\", actor: {type: session}, project: {id: proj_a}}\n",
            "")
        try git(["commit", "-q", "-a", "-m", "Two keys in a day are already a bulk"], in: work)
        return RulesRepository(work: work)
    }

    static func edit(_ file: URL, _ old: String, _ new: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        guard text.contains(old) else { throw Failure("the edit target is gone from \(file.path): \(old)") }
        try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let outcome = try Shell.run(
            ["git", "-c", "user.name=auditwatch-test", "-c", "user.email=test@auditwatch.invalid"]
                + arguments, in: directory)
        guard outcome.status == 0 else { throw Failure("git \(arguments.joined(separator: " ")): \(outcome.stderr)") }
        return outcome.stdout
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Runs a program (found on PATH) in a directory, with extra environment variables.
enum Shell {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws
        -> Outcome
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
