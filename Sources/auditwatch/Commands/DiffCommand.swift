import ArgumentParser
import AuditwatchCore
import AuditwatchSources
import AuditwatchYAML
import Foundation

/// `auditwatch rules diff`: the alerts a rule change adds, removes or changes, over fixture logs.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a rule change does: alerts that appear, disappear or change over the fixture logs.",
        discussion: """
            Compares the rules in PATH (default: rules) with the same path at git revision --base, \
            or with the rules in --against. The logs are --events (repeatable), or else every \
            fixture log the tests in PATH read. Exit status 0; with --exit-code, 1 when anything differs.
            """
    )

    @Argument(help: ArgumentHelp("The changed rules (file or directory).", valueName: "path"))
    var path = "rules"

    @Option(name: .long, help: ArgumentHelp("A git revision holding the rules before the change (e.g. origin/main).", valueName: "rev"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("A directory holding the rules before the change.", valueName: "dir"))
    var against: String?

    @Option(name: .long, help: ArgumentHelp("An event log to run both rule sets over (repeatable).", valueName: "file"))
    var events: [String] = []

    @Flag(name: .long, help: "Exit 1 when the change alters any alert.")
    var exitCode = false

    func validate() throws {
        guard (base == nil) != (against == nil) else { throw ValidationError("give exactly one of --base REV or --against DIR") }
    }

    func run() throws {
        let (newRules, loaded) = try LoadedRules.load([path], quiet: true)
        var oldPath = against ?? ""
        var cleanup: URL?
        if let base {
            let checkout = try BaseCheckout.extract(path: path, revision: base)
            cleanup = checkout.root
            oldPath = checkout.path
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
        let (oldRules, _) = try LoadedRules.load([oldPath], quiet: true)
        let logs = events.isEmpty ? fixtureLogs(loaded) : events
        guard !logs.isEmpty else {
            StandardError.line("auditwatch: no event logs to compare over: give --events FILE, or add tests that read fixture logs")
            throw ExitCode(2)
        }
        let stdout = OutputStream(descriptor: 1)
        var added = 0, removed = 0, changed = 0
        for log in logs {
            let before = try alerts(oldRules, log)
            let after = try alerts(newRules, log)
            let beforeByID = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let afterByID = Dictionary(after.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var lines: [String] = []
            for alert in after where beforeByID[alert.id] == nil { lines.append("+ " + AlertFormatter.textLine(alert)); added += 1 }
            for alert in before where afterByID[alert.id] == nil { lines.append("- " + AlertFormatter.textLine(alert)); removed += 1 }
            for alert in after {
                guard let old = beforeByID[alert.id], old != alert else { continue }
                lines.append("~ " + AlertFormatter.textLine(alert) + "\n    " + differences(old, alert))
                changed += 1
            }
            stdout.line("\(log): \(before.count) alert(s) before, \(after.count) after")
            lines.forEach(stdout.line)
        }
        stdout.line("\(added) added, \(removed) removed, \(changed) changed")
        stdout.flush()
        if exitCode && added + removed + changed > 0 { throw ExitCode(1) }
    }

    /// What changed between two versions of the same alert.
    private func differences(_ old: Alert, _ new: Alert) -> String {
        var parts: [String] = []
        if old.level != new.level { parts.append("level \(old.level.rawValue) → \(new.level.rawValue)") }
        if old.count != new.count { parts.append("count \(old.count) → \(new.count)") }
        if old.firstAt != new.firstAt { parts.append("first_at \(UTCTime.iso8601(old.firstAt)) → \(UTCTime.iso8601(new.firstAt))") }
        if old.eventIDs != new.eventIDs {
            let gained = new.eventIDs.filter { !old.eventIDs.contains($0) }, lost = old.eventIDs.filter { !new.eventIDs.contains($0) }
            parts.append("events" + (gained.isEmpty ? "" : " +" + gained.joined(separator: " +")) + (lost.isEmpty ? "" : " -" + lost.joined(separator: " -")))
        }
        if old.summary != new.summary { parts.append("summary was \"\(AlertFormatter.printable(old.summary))\"") }
        if old.ruleTitle != new.ruleTitle { parts.append("title was \"\(old.ruleTitle)\"") }
        if old.tags != new.tags { parts.append("tags \(old.tags) → \(new.tags)") }
        if old.suppressed != new.suppressed { parts.append("suppressed \(old.suppressed) → \(new.suppressed)") }
        return parts.isEmpty ? "changed" : parts.joined(separator: "; ")
    }

    private func alerts(_ ruleSet: RuleSet, _ log: String) throws -> [Alert] {
        var engine = DetectionEngine(ruleSet: ruleSet)
        var alerts: [Alert] = []
        do {
            try EventReader(path: log).read(onProblem: { _ in }) { alerts += engine.process($0) }
        } catch {
            StandardError.line("\(error.diagnostic.location!): error: \(error.message)")
            throw ExitCode(1)
        }
        return alerts + engine.finish()
    }

    /// The fixture logs the tests read, resolved against their test files.
    private func fixtureLogs(_ loaded: RuleLoader.Result) -> [String] {
        var logs: [String] = []
        for entry in loaded.tests {
            for test in entry.list.sequence ?? [] {
                guard let relative = test["events"]?.scalar?.text else { continue }
                let full = relative.hasPrefix("/") ? relative : (entry.file as NSString).deletingLastPathComponent + "/" + relative
                let normalized = URL(fileURLWithPath: full).standardizedFileURL.path
                if FileManager.default.fileExists(atPath: normalized), !logs.contains(normalized) { logs.append(normalized) }
            }
        }
        return logs.sorted()
    }
}

/// The rules as they were at a git revision, extracted to a temporary folder with `git archive`.
enum BaseCheckout {
    static func extract(path: String, revision: String) throws -> (root: URL, path: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("auditwatch-base-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let prefix = try git(["rev-parse", "--show-prefix"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let inRepository = prefix + path
        let archive = root.appendingPathComponent("base.tar").path
        _ = try git(["archive", "--format=tar", "-o", archive, revision, "--", inRepository])
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xf", archive, "-C", root.path]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            StandardError.line("auditwatch: could not unpack the rules of \(revision)")
            throw ExitCode(2)
        }
        return (root, root.appendingPathComponent(inRepository).path)
    }

    private static func git(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            StandardError.line("auditwatch: --base needs git: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            StandardError.line("auditwatch: git \(arguments.first ?? ""): \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
            throw ExitCode(2)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
