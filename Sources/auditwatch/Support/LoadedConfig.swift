import ArgumentParser
import AuditwatchConfig
import AuditwatchCore
import AuditwatchNotify

/// Reads `auditwatch.yml` for a command: any error is printed located and stops the command
/// (exit 2), so no command runs on a config it could not read; under `strict` a warning too.
enum LoadedConfig {
    static func load(
        _ path: String, strict: Bool = false, sink: DiagnosticSink = .standardError
    ) throws -> (config: ServiceConfig, sources: SourceFiles) {
        let loaded = ConfigLoader.load(path)
        guard let config = loaded.config, !loaded.diagnostics.hasErrors, !(strict && !loaded.diagnostics.isEmpty) else {
            sink.report(loaded.diagnostics.sortedByLocation(), loaded.sources)
            throw ExitCode(2)
        }
        let warnings = loaded.diagnostics.filter { $0.severity != .error }
        if !warnings.isEmpty { sink.report(warnings.sortedByLocation(), loaded.sources) }
        return (config, loaded.sources)
    }
}
