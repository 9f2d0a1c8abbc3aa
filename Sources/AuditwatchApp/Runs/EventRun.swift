import AuditwatchCore
import AuditwatchService
import AuditwatchSources
import AuditwatchState
import Foundation

/// `auditwatch run --events FILE` without a config: the rules over a file (or standard input),
/// the alerts to `out`; with a state file, resumable and never raising an alert twice.
public struct EventRun {
    public var settings: RunSettings
    public var sink: DiagnosticSink

    public init(_ settings: RunSettings, sink: DiagnosticSink = .standardError) {
        self.settings = settings
        self.sink = sink
    }

    public func run(out: any LineOutput) throws {
        let paths = settings.rules.isEmpty ? ["rules"] : settings.rules
        let tuning = try LoadedRules.tuning(placeholders: settings.placeholders, sink: sink)
        let (ruleSet, _) = try LoadedRules.load(paths, quiet: true, tuning: tuning, sink: sink, out: out)
        var engine = DetectionEngine(ruleSet: ruleSet, options: settings.engine)
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
        if let state = settings.state {
            return try runStateful(state, engine: &engine, out: out)
        }
        var alertsByLevel: [RuleLevel: Int] = [:]
        let output = settings.output
        let reader = EventReader(path: settings.events!)
        reader.maxLineBytes = settings.maxLineBytes
        if settings.follow { reader.followInterval = 0.25 }
        do throws(InputProblem) {
            try reader.read(
                strict: settings.strict, from: nil, onProblem: sink.skipped,
                onIdle: {
                    out.flush()
                    engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
                    return true
                },
                onEvent: { event, _ in
                    for alert in engine.process(event) {
                        alertsByLevel[alert.level, default: 0] += 1
                        out.line(output.line(alert))
                    }
                })
        } catch {
            out.flush()
            throw AppError.input(error)
        }
        // A file has an end: decide the windows still open and flush suppressions.
        for alert in engine.finish() {
            alertsByLevel[alert.level, default: 0] += 1
            out.line(output.line(alert))
        }
        out.flush()
        RunReport.lines(reader: reader, alertsByLevel: alertsByLevel, engine: engine).forEach { sink.note(.info, $0) }
    }

    private func runStateful(_ state: String, engine: inout DetectionEngine, out: any LineOutput) throws {
        let lock = try StateAccess.lock(state)
        defer { withExtendedLifetime(lock) {} }
        let store = try StateAccess.open(state)
        let output = settings.output
        let sink = self.sink
        let session = StatefulRun(
            store: store, eventsPath: settings.events!, batchSize: settings.checkpointEvery, follow: settings.follow,
            maxLineBytes: settings.maxLineBytes, note: { sink.note(.info, "auditwatch: note: " + $0) },
            sinksFor: { _ in ["stdout"] },
            deliver: StatefulRun.stdoutDelivery(store) { alert in
                out.line(output.line(alert))
                out.flush()
            })
        let outcome = try EventRun.run(session, engine: &engine, strict: settings.strict, sink: sink)
        var alertsByLevel: [RuleLevel: Int] = [:]
        for alert in outcome.raised { alertsByLevel[alert.level, default: 0] += 1 }
        RunReport.lines(reader: outcome.reader, alertsByLevel: alertsByLevel, engine: engine).forEach {
            sink.note(.info, $0)
        }
    }

    /// A stateful session; its input and state failures become `AppError`s.
    static func run(
        _ session: StatefulRun, engine: inout DetectionEngine, strict: Bool, sink: DiagnosticSink
    ) throws -> (reader: EventReader, raised: [Alert]) {
        do {
            return try session.run(engine: &engine, strict: strict, onProblem: sink.skipped)
        } catch let problem as InputProblem {
            throw AppError.input(problem)
        } catch let error as StateError {
            throw AppError.state(error.message)
        }
    }
}
