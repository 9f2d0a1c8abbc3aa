public import AuditwatchCore

/// What one notifier needs to send, its secrets resolved and checked: the notifier side of
/// `auditwatch.yml`, handed to delivery (which never reads the config itself).
public struct NotifierSettings: Sendable {
    public var name: String
    public var kind: NotifierKind
    /// Most requests per second, kept under the target's documented limit.
    public var ratePerSecond: Double
    public var url: Secret?
    public var routingKey: Secret?
    /// Generic webhooks: the Standard Webhooks signing key (the bytes of the `whsec_…` secret).
    public var signingKey: [UInt8]?
    /// The message text, in place of the alert's summary.
    public var template: SummaryTemplate?

    public init(
        name: String, kind: NotifierKind, ratePerSecond: Double, url: Secret? = nil, routingKey: Secret? = nil,
        signingKey: [UInt8]? = nil, template: SummaryTemplate? = nil
    ) {
        self.name = name
        self.kind = kind
        self.ratePerSecond = ratePerSecond
        self.url = url
        self.routingKey = routingKey
        self.signingKey = signingKey
        self.template = template
    }
}
