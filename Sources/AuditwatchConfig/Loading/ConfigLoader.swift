import AuditwatchCore
import AuditwatchHTTP
import AuditwatchYAML
import Foundation

/// Reads `auditwatch.yml` and builds the notifiers it names, secrets resolved.
public enum ConfigLoader {
    /// The config, with the file's text for rendering diagnostics.
    public static func load(_ path: String) -> (config: ServiceConfig?, diagnostics: [Diagnostic], sources: SourceFiles)
    {
        var sources = SourceFiles()
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [.error("cannot read config file '\(path)'", at: nil)], sources)
        }
        let text = String(decoding: data, as: UTF8.self)
        sources.add(path, text: text)
        let parsed = YAMLDocumentReader.read(text, file: path)
        guard parsed.diagnostics.isEmpty, let document = parsed.documents.first else {
            return (
                nil,
                parsed.diagnostics.isEmpty ? [.error("config file '\(path)' is empty", at: nil)] : parsed.diagnostics,
                sources
            )
        }
        let zones = ZoneDatabase()
        var decoded = ConfigDecoder.decode(document, file: path, zones: { try? zones.zone($0).get() })
        decoded.diagnostics = zones.withZoneHints(decoded.diagnostics)
        // Rule paths are relative to the config file, as users expect of a config.
        let base = (path as NSString).deletingLastPathComponent
        if var config = decoded.config, !base.isEmpty {
            config.rulePaths = config.rulePaths.map { $0.hasPrefix("/") ? $0 : base + "/" + $0 }
            if !config.statePath.hasPrefix("/") && !config.statePath.contains("://") {
                config.statePath = base + "/" + config.statePath
            }
            config.placeholdersFile = config.placeholdersFile.map { $0.hasPrefix("/") ? $0 : base + "/" + $0 }
            decoded.config = config
        }
        // The file's values first; the config's own `placeholders:` win over them.
        if var config = decoded.config, let file = config.placeholdersFile {
            let loaded = PlaceholderFile.load(file)
            decoded.diagnostics += loaded.diagnostics
            sources.merge(loaded.sources)
            config.tuning.placeholders = loaded.placeholders.merging(config.tuning.placeholders) { _, own in own }
            decoded.config = loaded.diagnostics.hasErrors ? nil : config
        }
        return (decoded.config, decoded.diagnostics, sources)
    }

    /// Clients for every notifier; a secret that cannot be resolved is a located error.
    public static func clients(
        for config: ServiceConfig, resolver: SecretResolver = SecretResolver(), printLine: @escaping (String) -> Void
    ) -> (clients: [String: NotifierClient], redactor: Redactor, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var redactor = Redactor()
        var resolved: [(NotifierConfig, Secret?, Secret?, Secret?)] = []
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
            resolved.append((notifier, url, key, signing))
        }
        let options = HTTPClientOptions(config: config)
        var clients: [String: NotifierClient] = [:]
        for (notifier, url, key, signing) in resolved {
            let http = notifier.kind == .stdout ? nil : try? HTTPClient(options: options)
            clients[notifier.name] = NotifierClient(
                name: notifier.name, kind: notifier.kind, ratePerSecond: notifier.ratePerSecond,
                url: url ?? (notifier.kind == .pagerduty ? Secret("https://events.pagerduty.com/v2/enqueue") : nil),
                routingKey: key, signingKey: signing.flatMap { StandardWebhookSignature.key(fromSecret: $0.value) },
                http: http, redactor: redactor, template: notifier.template, printLine: printLine)
        }
        return (clients, redactor, diagnostics)
    }
}

extension HTTPClientOptions {
    /// The transport settings of `auditwatch.yml`'s `http` section, for every outbound request.
    public init(config: ServiceConfig) {
        self.init()
        connectTimeout = config.connectTimeout
        totalTimeout = config.timeout
        caBundlePath = config.caBundle
        proxy = config.proxy
    }
}
