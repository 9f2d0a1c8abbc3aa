public import AuditwatchCore
import AuditwatchReports
import AuditwatchRuleTests
import AuditwatchService
import AuditwatchSources
import AuditwatchYAML
import Foundation

/// `auditwatch rules diff`: the alerts a rule change adds, removes or changes over fixture logs.
/// The old rules are a git revision (`BaseCheckout`) or a directory; the comparison is
/// `AlertDiff`, a pure function of the two alert lists.
public struct RuleDiff {
    public enum Baseline: Sendable {
        case revision(String)
        case directory(String)
    }

    public var paths: [String]
    public var baseline: Baseline
    public var events: [String] = []
    public var format: DiffFormat = .text
    /// Where to write the HTML report of alert volumes per rule before and after, if asked.
    public var report: String?
    public var sink: DiagnosticSink = .standardError

    public init(paths: [String], baseline: Baseline) {
        self.paths = paths
        self.baseline = baseline
    }

    /// A named list of events both rule sets run over.
    public struct EventLog: Sendable {
        public var name: String
        public var events: [Event]
    }

    /// Writes the report to `out`; returns the diff of each log.
    @discardableResult
    public func run(out: any LineOutput) throws -> [AlertDiff] {
        let (newRules, loaded) = try LoadedRules.load(paths, quiet: true, sink: sink, out: out)
        var oldPaths: [String] = []
        var cleanup: URL?
        switch baseline {
        case .directory(let directory): oldPaths = [directory]
        case .revision(let revision):
            let checkout = try BaseCheckout.extract(paths: paths, revision: revision)
            cleanup = checkout.root
            oldPaths = checkout.paths.compactMap { $0 }
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
        let oldRules =
            oldPaths.isEmpty
            ? nil : try LoadedRules.load(oldPaths, quiet: true, silent: true, sink: sink, out: out).ruleSet
        let logs =
            events.isEmpty
            ? RuleDiff.testLogs(loaded)
            : try events.map { path throws(AppError) in EventLog(name: path, events: try EventFile.read(path)) }
        guard !logs.isEmpty else {
            throw AppError.setup(
                "no events to compare over: give --events FILE, "
                    + "or add tests (with fixture logs or inline events) to the paths")
        }
        let correlations = Set(newRules.correlations.map(\.rule.id) + (oldRules?.correlations.map(\.rule.id) ?? []))
        let raised = logs.map { log in
            (
                log: log.name, before: oldRules.map { RuleDiff.alerts($0, log.events) } ?? [],
                after: RuleDiff.alerts(newRules, log.events)
            )
        }
        let diffs = raised.map {
            AlertDiff(log: $0.log, before: $0.before, after: $0.after, correlations: correlations)
        }
        switch format {
        case .markdown:
            let base: String
            switch baseline {
            case .revision(let name), .directory(let name): base = name
            }
            out.line(String(DiffMarkdown.render(diffs, base: base, logs: logs.count).dropLast()))
        case .text:
            DiffText.lines(diffs).forEach(out.line)
        }
        out.flush()
        if let report {
            let base: String
            switch baseline {
            case .revision(let name), .directory(let name): base = name
            }
            let html = DiffVolumeReport(
                before: raised.flatMap(\.before), after: raised.flatMap(\.after), logs: logs.map(\.name),
                beforeName: base, afterName: paths.joined(separator: ", "),
                added: diffs.reduce(0) { $0 + $1.count(.added) }, removed: diffs.reduce(0) { $0 + $1.count(.removed) },
                changed: diffs.reduce(0) { $0 + $1.count(.changed) }
            ).html()
            try ReportFile.write(html, to: report)
            sink.note(.info, "auditwatch: report written to \(report)")
        }
        return diffs
    }

    /// What one rule set raises over the events, the end of input included.
    static func alerts(_ ruleSet: RuleSet, _ events: [Event]) -> [Alert] {
        var engine = DetectionEngine(ruleSet: ruleSet)
        var alerts: [Alert] = []
        for event in events { alerts += engine.process(event) }
        return alerts + engine.finish()
    }

    /// Every fixture log the tests read (once each), then each test's inline events, by test.
    static func testLogs(_ loaded: RuleLoader.Loaded) -> [EventLog] {
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
            (try? EventFile.read(path)).map { EventLog(name: relative(path), events: $0) }
        }
        return logs + inline
    }

    /// Paths are shown relative to the current directory (`../tests/…` from a subdirectory), as a
    /// reviewer would type them.
    static func relative(_ path: String) -> String {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents
        let there = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        var common = 0
        while common < min(here.count, there.count), here[common] == there[common] { common += 1 }
        guard common > 1 else { return path }
        let parts = Array(repeating: "..", count: here.count - common) + there[common...]
        return parts.joined(separator: "/")
    }
}

/// `rules diff`'s text report: per log the counts and each entry, then the totals.
public enum DiffText {
    public static func lines(_ diffs: [AlertDiff]) -> [String] {
        var lines: [String] = []
        for diff in diffs {
            lines.append("\(diff.log): \(diff.beforeCount) alert(s) before, \(diff.afterCount) after")
            for entry in diff.entries {
                var line = entry.change.rawValue + " " + AlertFormatter.textLine(entry.alert)
                if entry.change == .changed { line += "\n    " + entry.differences.joined(separator: "; ") }
                lines.append(line)
            }
        }
        let total = { (change: AlertDiff.Change) in diffs.map { $0.count(change) }.reduce(0, +) }
        lines.append("\(total(.added)) added, \(total(.removed)) removed, \(total(.changed)) changed")
        return lines
    }
}
