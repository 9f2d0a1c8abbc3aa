public import AuditwatchConfig
public import AuditwatchCore

extension NotifierClient {
    /// A client for each notifier; `transport` opens each HTTP notifier a connection of its own
    /// (a stdout notifier has none). `redactor` knows every resolved secret.
    public static func clients(
        for notifiers: [NotifierSettings], redactor: Redactor, transport: () -> (any HTTPTransport)?,
        printLine: @escaping (String) -> Void
    ) -> [String: NotifierClient] {
        var clients: [String: NotifierClient] = [:]
        for settings in notifiers {
            clients[settings.name] = NotifierClient(
                name: settings.name, kind: settings.kind, ratePerSecond: settings.ratePerSecond, url: settings.url,
                routingKey: settings.routingKey, signingKey: settings.signingKey,
                http: settings.kind == .stdout ? nil : transport(), redactor: redactor, template: settings.template,
                printLine: printLine)
        }
        return clients
    }
}
