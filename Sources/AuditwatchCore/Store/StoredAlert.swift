/// An alert as the store keeps it, with its delivery to one sink.
public struct StoredAlert: Sendable {
    /// The order alerts were stored in (per store, increasing).
    public var sequence: Int64
    public var alert: Alert
    public var sink: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var lastError: String?

    public init(
        sequence: Int64, alert: Alert, sink: String, status: DeliveryStatus, attempts: Int, lastError: String?
    ) {
        self.sequence = sequence
        self.alert = alert
        self.sink = sink
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
    }
}

/// Where an alert's delivery to a sink stands.
public enum DeliveryStatus: String, Sendable, CaseIterable {
    /// `silenced`: a silence muted the alert when it was raised; it is never sent, not even after the silence ends.
    case pending, sent, failed, silenced
}
