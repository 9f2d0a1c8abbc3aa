/// What delivery did, once as a text line and once as fields with stable keys (a JSON log):
/// `event` is `delivery` (with `outcome` `sent`, `retry` or `failed`) or `notifier`
/// (`paused`, `disabled`, `error`).
public struct DeliveryLogLine: Sendable {
    /// A short fixed message ("delivery sent", "delivery failed"…).
    public var message: String
    public var fields: [(String, String)]
    /// The same as one line of text, as `run --config --events` prints it.
    public var text: String

    public init(message: String, fields: [(String, String)], text: String) {
        self.message = message
        self.fields = fields
        self.text = text
    }

    static func delivery(
        _ outcome: String, alert: String, notifier: String, attempts: Int,
        extra: [(String, String)] = [], text: String
    ) -> DeliveryLogLine {
        DeliveryLogLine(
            message: "delivery " + outcome,
            fields: [
                ("event", "delivery"), ("outcome", outcome), ("id", alert), ("notifier", notifier),
                ("attempts", String(attempts)),
            ] + extra,
            text: text)
    }

    static func notifier(
        _ outcome: String, notifier: String, extra: [(String, String)] = [], text: String
    ) -> DeliveryLogLine {
        DeliveryLogLine(
            message: "notifier " + outcome,
            fields: [("event", "notifier"), ("outcome", outcome), ("notifier", notifier)] + extra,
            text: text)
    }
}
