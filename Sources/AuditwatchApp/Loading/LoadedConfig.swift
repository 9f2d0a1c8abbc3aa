public import AuditwatchConfig
public import AuditwatchCore
import AuditwatchNotify

/// Reads `auditwatch.yml` for a command: any error stops the command located (exit 2), so no
/// command runs on a config it could not read; under `strict` a warning too.
public enum LoadedConfig {
    public static func load(
        _ path: String, strict: Bool = false, sink: DiagnosticSink = .standardError
    ) throws(AppError) -> (config: ServiceConfig, sources: SourceFiles) {
        let loaded = ConfigLoader.load(path)
        guard let config = loaded.config, !loaded.diagnostics.hasErrors, !(strict && !loaded.diagnostics.isEmpty) else {
            throw .diagnostics(Findings(diagnostics: loaded.diagnostics.sortedByLocation(), sources: loaded.sources))
        }
        let warnings = loaded.diagnostics.filter { $0.severity != .error }
        if !warnings.isEmpty { sink.report(warnings.sortedByLocation(), loaded.sources) }
        return (config, loaded.sources)
    }
}
