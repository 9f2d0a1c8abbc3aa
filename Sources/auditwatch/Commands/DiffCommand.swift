import ArgumentParser
import AuditwatchCore
import AuditwatchRuleTests
import AuditwatchSources
import AuditwatchYAML
import Foundation

/// `auditwatch rules diff`: the alerts a rule change adds, removes or changes, over fixture logs.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a rule change does: alerts that appear, disappear or change over the fixture logs.",
        discussion: """
            Compares the rules in PATH... (default: rules) with the same paths at git revision --base \
            (a path the revision lacks counts as empty), or with the rules in --against. The events are \
            --events (repeatable), or else every fixture log and every test's inline events in PATH... \
            A correlation group whose count or time moves shows as changed (~). Exit status 0; with \
            --exit-code, 1 when anything differs; 2 when the rules or git fail.
            """
    )

    @Argument(help: ArgumentHelp("The changed rules and tests (files or directories).", valueName: "path"))
    var paths: [String] = ["rules"]

    @Option(
        name: .long,
        help: ArgumentHelp("A git revision holding the rules before the change (e.g. origin/main).", valueName: "rev"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("A directory holding the rules before the change.", valueName: "dir"))
    var against: String?

    @Option(name: .long, help: ArgumentHelp("An event log to run both rule sets over (repeatable).", valueName: "file"))
    var events: [String] = []

    @Option(name: .long, help: "text, or markdown for a pull-request comment.")
    var format: DiffFormat = .text

    @Flag(name: .long, help: "Exit 1 when the change alters any alert.")
    var exitCode = false

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    func validate() throws {
        guard (base == nil) != (against == nil) else {
            throw ValidationError("give exactly one of --base REV or --against DIR")
        }
    }

    func run() throws {
        let (newRules, loaded) = try LoadedRules.load(paths, quiet: true)
        var oldPaths = against.map { [$0] } ?? []
        var cleanup: URL?
        if let base {
            do {
                let checkout = try BaseCheckout.extract(paths: paths, revision: base)
                cleanup = checkout.root
                oldPaths = checkout.paths.compactMap { $0 }
            } catch let error as BaseCheckoutError {
                StandardError.line("auditwatch: " + error.message)
                throw ExitCode(2)
            }
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
        let oldRules = oldPaths.isEmpty ? nil : try LoadedRules.load(oldPaths, quiet: true, silent: true).ruleSet
        let logs = events.isEmpty ? testLogs(loaded) : try events.map { EventLog(name: $0, events: try read($0)) }
        guard !logs.isEmpty else {
            StandardError.line(
                "auditwatch: no events to compare over: give --events FILE, "
                    + "or add tests (with fixture logs or inline events) to the paths")
            throw ExitCode(2)
        }
        let correlations = Set(newRules.correlations.map(\.rule.id) + (oldRules?.correlations.map(\.rule.id) ?? []))
        let diffs = logs.map { log in
            AlertDiff(
                log: log.name, before: oldRules.map { alerts($0, log.events) } ?? [],
                after: alerts(newRules, log.events), correlations: correlations)
        }
        let stdout = LineWriter(descriptor: 1)
        switch format {
        case .markdown:
            stdout.line(String(DiffMarkdown.render(diffs, base: base ?? against ?? "", logs: logs.count).dropLast()))
        case .text:
            for diff in diffs {
                stdout.line("\(diff.log): \(diff.beforeCount) alert(s) before, \(diff.afterCount) after")
                for entry in diff.entries {
                    var line = entry.change.rawValue + " " + AlertFormatter.textLine(entry.alert)
                    if entry.change == .changed { line += "\n    " + entry.differences.joined(separator: "; ") }
                    stdout.line(line)
                }
            }
            let total = { (change: AlertDiff.Change) in diffs.map { $0.count(change) }.reduce(0, +) }
            stdout.line("\(total(.added)) added, \(total(.removed)) removed, \(total(.changed)) changed")
        }
        stdout.flush()
        if exitCode && diffs.contains(where: { !$0.entries.isEmpty }) { throw ExitCode(1) }
    }

    /// A named list of events both rule sets run over.
    private struct EventLog {
        var name: String
        var events: [Event]
    }

    private func alerts(_ ruleSet: RuleSet, _ events: [Event]) -> [Alert] {
        var engine = DetectionEngine(ruleSet: ruleSet)
        var alerts: [Alert] = []
        for event in events { alerts += engine.process(event) }
        return alerts + engine.finish()
    }

    private func read(_ path: String) throws -> [Event] {
        var events: [Event] = []
        do {
            try EventReader(path: path).read(onProblem: { _ in }) { events.append($0) }
        } catch {
            StandardError.line("\(error.diagnostic.location.map { "\($0)" } ?? path): error: \(error.message)")
            throw ExitCode(1)
        }
        return events
    }

    /// Every fixture log the tests read (once each), then each test's inline events, by test.
    private func testLogs(_ loaded: RuleLoader.Loaded) -> [EventLog] {
        var fixtures: [String] = []
        var inline: [EventLog] = []
        for entry in loaded.tests {
            let decoded = RuleTestDecoder.decode(entry.list, defaultScope: entry.rule)
            for test in decoded.tests {
                switch test.events {
                case .fixture(let path, _):
                    let folder = (entry.file as NSString).deletingLastPathComponent
                    guard let full = RuleTestRunner.locate(path, besides: folder) else { continue }
                    let normalized = URL(fileURLWithPath: full).standardizedFileURL.path
                    if !fixtures.contains(normalized) {
                        fixtures.append(normalized)
                    }
                case .inline(let items):
                    let events = items.compactMap { try? Event(document: JSONDocument(parsing: $0.value)) }
                    guard !events.isEmpty else { continue }
                    let name = "\(relative(entry.file)):\(test.location.line) (\(test.name))"
                    inline.append(EventLog(name: name, events: events))
                }
            }
        }
        let logs = fixtures.sorted().compactMap { path in
            (try? read(path)).map { EventLog(name: relative(path), events: $0) }
        }
        return logs + inline
    }

    /// Paths are shown relative to the current directory (`../tests/…` from a subdirectory), as a
    /// reviewer would type them.
    private func relative(_ path: String) -> String {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents
        let there = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        var common = 0
        while common < min(here.count, there.count), here[common] == there[common] { common += 1 }
        guard common > 1 else { return path }
        let parts = Array(repeating: "..", count: here.count - common) + there[common...]
        return parts.joined(separator: "/")
    }
}
