import AuditwatchCore
import AuditwatchSources
import AuditwatchState
import Foundation

/// `run --state`: the engine's memory, the input position and the alerts are committed to the
/// state file together every `batchSize` events; alerts are printed only once committed, and
/// marked delivered after. A crash loses nothing: the restart re-prints what was committed but
/// not yet marked, then resumes reading after the last committed event. The replayed tail
/// raises the same alerts with the same ids, which the state file already holds or now stores
/// once. Output is at-least-once with stable ids (a crash between printing and marking repeats
/// those lines); the state file's record is exactly once.
struct StatefulRun {
    static let sink = "stdout"

    let store: StateStore
    let eventsPath: String
    let batchSize: Int
    let print: (Alert) -> Void

    /// Runs to the end of the input; returns the reader (for counts) and the alerts printed.
    func run(engine: inout DetectionEngine, strict: Bool, onProblem: (InputProblem) -> Void) throws -> (reader: EventReader, printed: [Alert]) {
        var printed: [Alert] = []
        // A previous run committed these but may have died before printing them.
        let pending = try store.alerts(sink: StatefulRun.sink, status: .pending).map(\.alert)
        pending.forEach(print)
        try store.markDelivered(pending.map(\.id), sink: StatefulRun.sink)
        printed += pending

        let source = eventsPath == "-" ? "-" : URL(fileURLWithPath: eventsPath).standardizedFileURL.path
        let fingerprint = InputFingerprint.of(path: eventsPath)
        var resume: EventReader.Position?
        if let saved = try store.position(for: source) {
            if saved.fingerprint == fingerprint && source != "-" {
                resume = EventReader.Position(byteOffset: saved.byteOffset, line: saved.line, events: saved.events)
            } else if source != "-" {
                StandardError.line("auditwatch: note: \(eventsPath) is not the file the state file was reading; reading it from the start")
            }
        }
        if let state = try store.engineState() { engine.state = state }

        var batch: [Alert] = []
        var sinceCheckpoint = 0
        var lastPosition: EventReader.Position?
        let reader = EventReader(path: eventsPath)
        var failure: Error?
        func commit(_ position: EventReader.Position?) throws {
            let saved = position.map { InputPosition(source: source, byteOffset: $0.byteOffset, line: $0.line, events: $0.events, fingerprint: fingerprint) }
            let fresh = try store.checkpoint(state: engine.state, position: saved, alerts: batch, sinks: [StatefulRun.sink])
            fresh.forEach(print)
            try store.markDelivered(fresh.map(\.id), sink: StatefulRun.sink)
            printed += fresh
            batch.removeAll(keepingCapacity: true)
            sinceCheckpoint = 0
        }
        do {
            try reader.read(strict: strict, from: resume, onProblem: onProblem) { event, position in
                guard failure == nil else { return }
                batch += engine.process(event)
                sinceCheckpoint += 1
                lastPosition = position
                if sinceCheckpoint >= batchSize && position.isResumable {
                    do { try commit(position) } catch { failure = error }
                }
            }
        } catch {
            if !batch.isEmpty || sinceCheckpoint > 0 { try? commit(lastPosition) }
            throw error
        }
        if let failure { throw failure }
        try commit(lastPosition ?? resume)
        return (reader, printed)
    }
}
