/// Leases on sources in a shared store (PostgreSQL), so replicas running the same config split
/// the organizations between them. Every method is one statement (or a short transaction) that
/// stays right when replicas race: two replicas acquiring the same source never both get it.
/// Times are the store's clock, in Unix seconds; durations are seconds.
public protocol LeaseStoring: AnyObject {
    /// Records that `replica` (started at `startedAt`, its own clock) is alive; returns the store's time.
    @discardableResult
    func heartbeat(replica: String, startedAt: Double) throws(StateError) -> Double
    /// Every replica that ever reported, and the store's time now.
    func replicas() throws(StateError) -> (replicas: [ReplicaHeartbeat], now: Double)
    /// Every lease row (held, expired or released), and the store's time now.
    func leases() throws(StateError) -> (leases: [Lease], now: Double)
    /// Takes `source` for `replica` for `duration` when it is free, expired or already this
    /// replica's; a change of holder (or a lease of its own that had expired) bumps the token.
    /// Nil when another replica holds it.
    func acquire(source: String, replica: String, duration: Double) throws(StateError) -> Lease?
    /// Extends every unexpired lease `replica` holds by `duration`; returns those renewed (a
    /// lease missing from them is lost: expired, or taken by another).
    func renew(replica: String, duration: Double) throws(StateError) -> [Lease]
    /// Gives `source` up when `replica` still holds it with `token` (another replica may take it at once).
    func release(source: String, replica: String, token: Int64) throws(StateError)
    /// Removes `replica`'s heartbeat (it is stopping): the others' fair share grows at once.
    func leave(replica: String) throws(StateError)
    /// Forgets replicas not heard from since `before` (store time): `cluster status` stays short.
    func forgetReplicas(before: Double) throws(StateError)
}
