import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
import AuditwatchService
import Foundation

/// `auditwatch notify test NAME`: a sample alert through one notifier, and what the target answered.
public struct NotifierTest {
    public var name: String
    public var config: String
    public var sink: DiagnosticSink = .standardError

    public init(name: String, config: String) {
        self.name = name
        self.config = config
    }

    public func run(out: any LineOutput) throws {
        let (settings, sources) = try LoadedConfig.load(config, sink: sink)
        let resolved = NotifierSettings.resolve(settings)
        let clients = NotifierClient.clients(
            for: resolved.notifiers, redactor: resolved.redactor,
            transport: { try? HTTPClient(options: HTTPClientOptions(config: settings)) }
        ) { out.line($0) }
        guard let client = clients[name] else {
            throw AppError.usage(
                "no notifier '\(name)' in \(config)\(Suggestions.didYouMean(name, in: clients.keys.sorted()))")
        }
        let problems = resolved.diagnostics.filter { $0.ruleID == name }
        if !problems.isEmpty { throw AppError.diagnostics(Findings(diagnostics: problems, sources: sources)) }
        let now = Int64(Date().timeIntervalSince1970)
        let sample = Alert(
            id: "aw_test_" + StableDigest.hex(String(now)).prefix(16), ruleID: "auditwatch_notifier_test",
            ruleTitle: "auditwatch test alert",
            level: .informational, tags: [], group: [GroupValue(field: "notifier", value: name)], count: 1,
            firstAt: now, lastAt: now,
            eventIDs: [], summary: "This is a test from auditwatch: the notifier '\(name)' works.")
        let attempt = client.send(sample, now: now)
        out.line(
            "notifier \(name) (\(client.kind.rawValue)): " + (attempt.status.map { "HTTP \($0)" } ?? "no HTTP answer"))
        if !attempt.responseBody.isEmpty { out.line("response: " + AlertFormatter.printable(attempt.responseBody)) }
        switch attempt.outcome {
        case .delivered: out.line("result: delivered")
        case .retry(let after, let reason):
            out.line("result: would retry\(after.map { " after \($0)s" } ?? "") (\(reason))")
        case .permanent(let reason): out.line("result: failed (\(reason))")
        case .disable(let reason): out.line("result: the target says this webhook is gone (\(reason))")
        }
        out.flush()
        if attempt.outcome != .delivered { throw AppError.verdict }
    }
}
