/// What one batch commits, all in one transaction (`StateStore.commit`): the engine state after
/// it, the source's own state (a poller's cursor), the input position after it, and its alerts.
public struct Checkpoint: Sendable {
    /// Whose engine state this is: the organization (source) name, or "default".
    public var engineSource: String
    public var state: EngineState
    /// The source's own state as JSON; nil leaves the saved one as it is.
    public var sourceState: String?
    /// Where the input was read up to; nil leaves the saved one as it is.
    public var position: InputPosition?
    public var alerts: [Alert]
    /// Alerts a silence mutes (alert id → silence id): recorded with a `silenced` delivery per
    /// sink (or to `-` when routed nowhere), never sent.
    public var silenced: [String: String] = [:]
    /// The lease this commit is made under (replicas on PostgreSQL): the store commits only while
    /// the lease still has this holder and token, else throws `StateError.leaseLost` and writes
    /// nothing. Nil: no lease (one process, the SQLite file's lock).
    public var fence: LeaseFence?

    public init(
        engineSource: String = "default", state: EngineState, sourceState: String? = nil,
        position: InputPosition? = nil, alerts: [Alert]
    ) {
        self.engineSource = engineSource
        self.state = state
        self.sourceState = sourceState
        self.position = position
        self.alerts = alerts
    }
}
