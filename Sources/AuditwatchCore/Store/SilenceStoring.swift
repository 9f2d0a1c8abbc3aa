/// Silences in a store (every store: the SQLite file and PostgreSQL): written by `silence add`,
/// the HTTP API and the console, read by the service at each commit.
public protocol SilenceStoring: AnyObject {
    /// Stores a new silence.
    func addSilence(_ silence: Silence) throws(StateError)
    /// Every silence, the newest first; with `activeAt`, only those in force then.
    func silences(activeAt now: Int64?) throws(StateError) -> [Silence]
    /// Ends silence `id` at `now`; returns it as it is now, or nil when there is no such silence.
    /// What it silenced stays silenced: nothing is queued again.
    func expireSilence(id: String, now: Int64) throws(StateError) -> Silence?
    /// Which silence muted each silenced alert (alert id → silence id).
    func silencedAlerts() throws(StateError) -> [String: String]
}

/// What the console reads: bounded queries, so a page stays fast on a year of alerts.
public protocol ConsoleReading: AnyObject {
    /// The newest alerts first, at most `limit`, `rule` and `level` filtered by the store and
    /// `accept` (the source filter) on the decoded alert.
    func recentAlerts(
        rule: String?, level: String?, limit: Int, accept: (Alert) -> Bool
    ) throws(StateError)
        -> [Alert]
    /// Alerts recorded in all.
    func alertCount() throws(StateError) -> Int
    /// Per rule: alerts recorded and the newest alert's `last_at`.
    func ruleTotals() throws(StateError) -> [String: (alerts: Int, lastAt: Int64)]
    /// The deliveries of these alerts, by alert id.
    func deliveries(of alertIDs: [String]) throws(StateError) -> [String: [StoredAlert]]
}

extension SilenceStoring {
    /// Every silence, the newest first.
    public func silences() throws(StateError) -> [Silence] { try silences(activeAt: nil) }

    /// The silence with this id.
    public func silence(id: String) throws(StateError) -> Silence? { try silences().first { $0.id == id } }
}
