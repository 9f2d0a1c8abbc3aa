import AuditwatchConfig
import AuditwatchCore
import AuditwatchReports
import AuditwatchService
import AuditwatchSources
import Foundation

/// `auditwatch backtest`: what the rules would have raised over history (a file, or a source's
/// API since a time), without notifying anyone or keeping state.
public struct Backtest {
    public enum Input: Sendable {
        /// An events file; `threads` 2 reads and matches on a second core.
        case file(String, threads: Int)
        /// A configured source's API from `since` on.
        case source(config: String, name: String?, since: Int64)
    }

    public var input: Input
    public var config: String?
    public var rules: [String] = []
    public var placeholders: String?
    public var output: AlertOutput = .text
    /// Where to write the HTML report (volumes per rule per day, noisiest rules, top groups), if asked.
    public var report: String?
    public var sink: DiagnosticSink = .standardError

    public init(input: Input, config: String?) {
        self.input = input
        self.config = config
    }

    public func run(out: any LineOutput) throws {
        var rulePaths = rules
        let settings = try config.map { path throws(AppError) in try LoadedConfig.load(path, sink: sink).config }
        if rulePaths.isEmpty, let settings { rulePaths = settings.rulePaths }
        let tuning = try LoadedRules.tuning(placeholders: placeholders, config: settings, sink: sink)
        let (ruleSet, _) = try LoadedRules.load(
            rulePaths.isEmpty ? ["rules"] : rulePaths, quiet: true, tuning: tuning, sink: sink, out: out)
        var engine = DetectionEngine(ruleSet: ruleSet)
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
        var tally = Tally()
        // The report's counts stream too: bounded by rules, days and groups, not by alerts.
        var reportTally = report.map { _ in BacktestTally() }
        let output = output
        // Alerts are written as they are raised: memory stays flat however long the history.
        func emit(_ raised: [Alert]) {
            for alert in raised {
                tally.count(alert)
                reportTally?.observe(alert)
                out.line(output.line(alert))
            }
        }
        func observe(_ event: Event) { reportTally?.observeEvent(at: event.effectiveAt) }
        let progress = ProgressLine()
        switch input {
        case .file(let path, let threads):
            tally.events = try readFile(
                path, threads: threads, ruleSet: ruleSet, engine: &engine, progress: progress, observe: observe
            ) {
                emit($0)
            }
        case .source(let config, let name, let since):
            let (poller, _) = try SourceAccess.poller(config: config, source: name, types: [], sink: sink)
            let end = Int64(Date().timeIntervalSince1970)
            let fetched = poller.fetch(since: since, until: nil) { read, oldest in
                progress.update(events: read, fraction: Double(end - oldest) / Double(max(1, end - since)))
            }
            progress.finish()
            switch fetched {
            case .success(let history):
                tally.events = history.count
                for event in history {
                    observe(event)
                    emit(engine.process(event))
                }
            case .failure(let failure):
                throw AppError.source("\(failure)")
            }
        }
        emit(engine.finish())
        out.flush()
        tally.lines().forEach { sink.note(.info, $0) }
        if let report, let reportTally {
            let origin: String
            switch input {
            case .file(let path, _): origin = path
            case .source(_, let name, let since): origin = "source \(name ?? "(first)") since \(UTCTime.iso8601(since))"
            }
            let html = BacktestReport(
                tally: reportTally, origin: origin, loadedRules: ruleSet.rules.count + ruleSet.correlations.count
            ).html()
            try ReportFile.write(html, to: report)
            sink.note(.info, "auditwatch: report written to \(report)")
        }
    }

    /// Reads the file through the engine; returns how many events it held.
    private func readFile(
        _ path: String, threads: Int, ruleSet: RuleSet, engine: inout DetectionEngine, progress: ProgressLine,
        observe: (Event) -> Void, emit: ([Alert]) -> Void
    ) throws(AppError) -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        let sink = sink
        let warn: @Sendable (InputProblem) -> Void = { sink.skipped($0) }
        var count = 0
        func note(_ position: EventReader.Position) {
            if count % 4096 == 0 {
                progress.update(
                    events: count,
                    fraction: size > 0 && position.byteOffset > 0 ? Double(position.byteOffset) / size : nil)
            }
        }
        do throws(InputProblem) {
            if threads == 2 {
                try MatchingPipeline(reader: EventReader(path: path), ruleSet: ruleSet).run(onProblem: warn) { batch in
                    for item in batch {
                        count += 1
                        observe(item.event)
                        emit(engine.process(item.event, matched: item.matched))
                        note(item.position)
                    }
                }
            } else {
                try EventReader(path: path).read(from: nil, onProblem: warn) { event, position in
                    count += 1
                    observe(event)
                    emit(engine.process(event))
                    note(position)
                }
            }
            progress.finish()
        } catch {
            throw .input(error)
        }
        return count
    }

    /// The alerts per rule, for the closing table.
    struct Tally {
        var events = 0
        var total = 0
        var perRule: [String: (RuleLevel, Int)] = [:]

        mutating func count(_ alert: Alert) {
            total += 1
            perRule[alert.ruleID] = (alert.level, (perRule[alert.ruleID]?.1 ?? 0) + 1)
        }

        func lines() -> [String] {
            var lines = ["auditwatch: backtest over \(events) events: \(total) alerts would have been raised"]
            let sorted = perRule.sorted { ($0.value.0, $0.value.1, $0.key) > ($1.value.0, $1.value.1, $1.key) }
            for (rule, entry) in sorted {
                lines.append("  \(String(entry.1).padding(6)) \(entry.0.rawValue.padding(14)) \(rule)")
            }
            return lines
        }
    }
}

extension String {
    /// The string padded with spaces to `width` characters (never cut).
    public func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
