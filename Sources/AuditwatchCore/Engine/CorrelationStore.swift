/// One correlation's state as the engine holds it while running: `CorrelationState` with its
/// groups in a compact `GroupTable`. `CorrelationState` stays the saved form; the engine converts
/// on restore and when its state is read.
struct CorrelationStore: Sendable {
    var groups = GroupTable()
    /// As `CorrelationState.knownValues` (`new_value`).
    var knownValues: [String: [String: Int64]] = [:]
    var learningStart: Int64?
    var nextDecision: Int64?
    var lastEviction: Int64?

    init() {}

    init(_ saved: CorrelationState) {
        groups = GroupTable(saved.groups)
        knownValues = saved.knownValues
        learningStart = saved.learningStart
        nextDecision = saved.nextDecision
        lastEviction = saved.lastEviction
    }

    /// The saved form.
    var saved: CorrelationState {
        CorrelationState(
            groups: groups.dictionary, knownValues: knownValues, learningStart: learningStart,
            nextDecision: nextDecision, lastEviction: lastEviction)
    }
}
