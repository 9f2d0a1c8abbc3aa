import AuditwatchConfig
import AuditwatchCore
import AuditwatchNotify
import AuditwatchService
import AuditwatchSources
import Foundation

/// `auditwatch check`: the config, the rules, the notifiers' secrets and each source's admin
/// key, sending nothing; a source that cannot be read makes it fail (`AppError.verdict`).
public struct ConfigCheck {
    public var config: String
    public var strict: Bool
    public var sink: DiagnosticSink = .standardError

    public init(config: String, strict: Bool) {
        self.config = config
        self.strict = strict
    }

    public func run() throws {
        let setup = try ConfiguredService.load(config, strict: strict, readOnly: true, sink: sink)
        var failed = false
        let state =
            setup.store.location == ":memory:"
            ? "\(setup.config.statePath) (not created yet: the first run creates it)" : setup.config.statePath
        say(
            "config \(config): OK; \(setup.ruleSet.rules.count) rules and \(setup.ruleSet.correlations.count) correlations; state file \(state)"
        )
        for name in setup.clients.keys.sorted() {
            say("notifier \(name) (\(setup.clients[name]!.kind.rawValue)): secrets resolved")
        }
        for source in setup.config.sources {
            let (poller, _) = try SourceAccess.poller(config: config, source: source.name, types: [], sink: sink)
            let now = Int64(Date().timeIntervalSince1970)
            switch poller.fetch(since: now - 3600, until: nil) {
            case .success(let events):
                say("source \(source.name): the admin key works; \(events.count) events in the last hour")
            case .failure(.unauthorized(let status, let message)):
                failed = true
                say(
                    "source \(source.name): the admin key was refused (HTTP \(status)): \(message). Create an Admin API key (Settings → Organization → Admin keys) and make sure audit logging is on (Settings → Organization → Data controls)."
                )
            case .failure(let failure):
                failed = true
                say("source \(source.name): cannot read the audit log: \(setup.redactor.redact(failure.description))")
            }
        }
        if failed { throw AppError.verdict }
    }

    private func say(_ line: String) { sink.note(.info, line) }
}
