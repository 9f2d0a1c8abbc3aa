public import AuditwatchCore
public import AuditwatchSources
import Foundation

/// `run --state` (and `run --config`): the engine's memory, the input position and the alerts,
/// each with a pending delivery to its sinks, are committed to the state file together every
/// `batchSize` events; after each commit, `deliver` sends what is due. A crash loses nothing:
/// the restart first delivers what was committed but not yet sent, then resumes reading after
/// the last committed event; the replayed tail raises the same alerts with the same ids, which
/// the state file stores once. Delivery is at-least-once with stable ids.
public struct StatefulRun {
    let store: any StateStore
    let eventsPath: String
    let batchSize: Int
    /// Keep reading as the file grows, committing whenever the reader catches up.
    let follow: Bool
    /// JSON Lines lines longer than this are skipped and reported.
    let maxLineBytes: Int
    let sinksFor: (Alert) -> [String]
    let deliver: () throws -> Void
    /// Told when the saved position does not fit the input (it is then read from the start).
    let note: (String) -> Void

    public init(
        store: any StateStore, eventsPath: String, batchSize: Int, follow: Bool = false, maxLineBytes: Int = 16 << 20,
        note: @escaping (String) -> Void,
        sinksFor: @escaping (Alert) -> [String], deliver: @escaping () throws -> Void
    ) {
        self.store = store
        self.eventsPath = eventsPath
        self.batchSize = batchSize
        self.follow = follow
        self.maxLineBytes = maxLineBytes
        self.note = note
        self.sinksFor = sinksFor
        self.deliver = deliver
    }

    /// Runs to the end of the input; returns the reader (for counts) and the alerts raised.
    public func run(
        engine: inout DetectionEngine, strict: Bool, onProblem: (InputProblem) -> Void
    ) throws -> (reader: EventReader, raised: [Alert]) {
        try deliver()
        let source = eventsPath == "-" ? "-" : URL(fileURLWithPath: eventsPath).standardizedFileURL.path
        let fingerprint = InputFingerprint.of(path: eventsPath)
        var resume: EventReader.Position?
        if let saved = try store.position(for: source), source != "-" {
            if saved.fingerprint == fingerprint {
                resume = EventReader.Position(byteOffset: saved.byteOffset, line: saved.line, events: saved.events)
            } else {
                note("\(eventsPath) is not the file the state file was reading; reading it from the start")
            }
        }
        if let state = try store.engineState() { engine.state = state }
        engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))

        var raised: [Alert] = []
        var batch: [Alert] = []
        var sinceCheckpoint = 0
        var lastPosition: EventReader.Position?
        let reader = EventReader(path: eventsPath)
        reader.maxLineBytes = maxLineBytes
        var failure: (any Error)?
        func commit(_ position: EventReader.Position?) throws {
            let saved = position.map {
                InputPosition(
                    source: source, byteOffset: $0.byteOffset, line: $0.line, events: $0.events,
                    fingerprint: fingerprint)
            }
            let silences = try SilenceCheck(store: store, now: Int64(Date().timeIntervalSince1970))
            raised += try store.checkpoint(
                state: engine.state, position: saved, alerts: batch, sinksFor: sinksFor,
                silenced: silences.muted(batch))
            batch.removeAll(keepingCapacity: true)
            sinceCheckpoint = 0
            engine.timeBound = EventTime.bound(now: Int64(Date().timeIntervalSince1970))
            try deliver()
        }
        if follow { reader.followInterval = 0.25 }
        do {
            try reader.read(
                strict: strict, from: resume, onProblem: onProblem,
                onIdle: {
                    guard failure == nil else { return false }
                    if sinceCheckpoint > 0, lastPosition?.isResumable ?? false {
                        do { try commit(lastPosition) } catch { failure = error; return false }
                    }
                    return true
                }
            ) { event, position in
                guard failure == nil else { return }
                batch += engine.process(event)
                sinceCheckpoint += 1
                lastPosition = position
                if sinceCheckpoint >= batchSize && position.isResumable {
                    do { try commit(position) } catch { failure = error }
                }
            }
        } catch {
            if sinceCheckpoint > 0 { try? commit(lastPosition) }
            throw error
        }
        if let failure { throw failure }
        // The input ends here for now: what was read is final, so no correlation match waits
        // for events a later run may append (windows still open stay open for them).
        if !follow { batch += engine.endOfInput() }
        try commit(lastPosition ?? resume)
        return (reader, raised)
    }

    /// The sink of `run --state` without a config: committed alerts printed in order, then marked sent.
    public static func stdoutDelivery(_ store: any StateStore, print: @escaping (Alert) -> Void) -> () throws -> Void {
        {
            let pending = try store.alerts(sink: "stdout", status: .pending).map(\.alert)
            pending.forEach(print)
            try store.markDelivered(pending.map(\.id), sink: "stdout")
        }
    }
}
