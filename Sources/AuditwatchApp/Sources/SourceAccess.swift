public import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
import AuditwatchService
public import AuditwatchSources
import Foundation

/// Opens one configured source for a one-off read.
public enum SourceAccess {
    public static func poller(
        config path: String, source name: String?, types: [String], sink: DiagnosticSink = .standardError
    ) throws -> (AuditLogPoller, SourceConfig) {
        let (config, sources) = try LoadedConfig.load(path, sink: sink)
        guard let source = name.map({ wanted in config.sources.first { $0.name == wanted } }) ?? config.sources.first
        else {
            throw AppError.usage(
                "\(name.map { "no source '\($0)'" } ?? "no sources") in \(path)\(name.map { Suggestions.didYouMean($0, in: config.sources.map(\.name)) } ?? "")"
            )
        }
        let key: Secret
        switch SecretResolver().adminKey(of: source) {
        case .success(let value): key = value
        case .failure(let problem): throw AppError.diagnostics(Findings(diagnostics: [problem], sources: sources))
        }
        var options = AuditLogPoller.Options(source: source)
        if !types.isEmpty { options.eventTypes = types }
        let client = AuditLogClient(
            baseURL: source.baseURL, adminKey: key.value,
            http: try HTTPClient(options: HTTPClientOptions(config: config)))
        return (AuditLogPoller(client: client, options: options, sleep: { Thread.sleep(forTimeInterval: $0) }), source)
    }
}
