public import AuditwatchCore

extension NotifierSettings {
    /// PagerDuty's Events API v2, when a pagerduty notifier names no `url`.
    static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

    /// The settings of every notifier of `config`, secrets resolved; a secret that cannot be
    /// resolved or a value that cannot work is a located diagnostic. The redactor knows every
    /// resolved secret that did not come from the file itself.
    public static func resolve(
        _ config: ServiceConfig, resolver: SecretResolver = SecretResolver()
    ) -> (notifiers: [NotifierSettings], redactor: Redactor, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var redactor = Redactor()
        var notifiers: [NotifierSettings] = []
        for notifier in config.notifiers {
            func secret(_ reference: SecretReference?, _ what: String) -> Secret? {
                guard let reference else { return nil }
                switch resolver.resolve(
                    reference, what: "\(what) of notifier '\(notifier.name)'", at: notifier.location,
                    owner: notifier.name)
                {
                case .success(let value):
                    if case .literal = reference {} else { redactor.add(value) }
                    return value
                case .failure(let problem):
                    diagnostics.append(problem)
                    return nil
                }
            }
            let url = secret(notifier.url, "the URL")
            let key = secret(notifier.routingKey, "the routing key")
            let signing = secret(notifier.signingSecret, "the signing secret")
            diagnostics += problems(of: notifier, url: url, signing: signing)
            notifiers.append(
                NotifierSettings(
                    name: notifier.name, kind: notifier.kind, ratePerSecond: notifier.ratePerSecond,
                    url: url ?? (notifier.kind == .pagerduty ? Secret(pagerDutyEventsURL) : nil), routingKey: key,
                    signingKey: signing.flatMap { StandardWebhookSignature.key(fromSecret: $0.value) },
                    template: notifier.template))
        }
        return (notifiers, redactor, diagnostics)
    }

    /// What cannot work (or is unsafe) in a notifier's resolved values.
    private static func problems(of notifier: NotifierConfig, url: Secret?, signing: Secret?) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let url, !(url.value.hasPrefix("https://") || url.value.hasPrefix("http://")) {
            diagnostics.append(
                .error(
                    "the URL of notifier '\(notifier.name)' must be http or https", at: notifier.location,
                    ruleID: notifier.name))
        }
        if notifier.kind == .teams, let url,
            url.value.contains("webhook.office.com") || url.value.contains("outlook.office.com/webhook")
        {
            diagnostics.append(
                .error(
                    "notifier '\(notifier.name)' uses a retired Office 365 connector URL; create a Teams Workflows webhook instead",
                    at: notifier.location, ruleID: notifier.name))
        }
        if let signing {
            if let key = StandardWebhookSignature.key(fromSecret: signing.value) {
                // Standard Webhooks secrets are 24 to 64 random bytes; a short one is guessable.
                if key.count < 24 {
                    diagnostics.append(
                        .error(
                            "the signing secret of notifier '\(notifier.name)' is \(key.count) bytes; Standard Webhooks secrets are 24 to 64 random bytes (whsec_ followed by Base64)",
                            at: notifier.location, ruleID: notifier.name))
                }
            } else {
                diagnostics.append(
                    .error(
                        "the signing secret of notifier '\(notifier.name)' is not whsec_ followed by Base64",
                        at: notifier.location, ruleID: notifier.name))
            }
        }
        if let url, let host = PlainHTTP.nonLoopbackHost(url.value) {
            diagnostics.append(
                .warning(
                    "notifier '\(notifier.name)' sends alerts over plain http to \(host): use https (plain http is for loopback only)",
                    at: notifier.location, ruleID: notifier.name))
        }
        return diagnostics
    }
}
