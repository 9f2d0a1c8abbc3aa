public import AuditwatchCore

/// What `auditwatch run` was asked to do: its input, rules, output and limits.
public struct RunSettings: Sendable {
    /// The events file (`-` for standard input); nil for the service, which polls its sources.
    public var events: String?
    public var rules: [String] = []
    public var placeholders: String?
    public var output: AlertOutput = .text
    public var strict = false
    public var state: String?
    public var follow = false
    public var maxLineBytes = 16 << 20
    public var checkpointEvery = 1000
    public var engine = EngineOptions()
    /// With a config: how long a run that ends waits for deliveries that are retrying.
    public var waitSeconds: Double = 0

    public init(events: String?) { self.events = events }
}

extension AlertOutput {
    /// One alert as this format writes it.
    public func line(_ alert: Alert) -> String {
        self == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert)
    }
}
