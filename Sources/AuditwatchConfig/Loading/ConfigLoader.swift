public import AuditwatchCore
import AuditwatchYAML
public import AuditwatchZones
import Foundation

/// Reads `auditwatch.yml`: the file, its placeholders file, paths relative to it, and located
/// diagnostics. Secrets are resolved apart (`SecretResolver`, `NotifierSettings.resolve`).
public enum ConfigLoader {
    /// The config, with the file's text for rendering diagnostics; `zones` resolves the time zones
    /// of notifier templates.
    public static func load(
        _ path: String, zones: any ZoneLookup = ZoneDatabase()
    ) -> (config: ServiceConfig?, diagnostics: [Diagnostic], sources: SourceFiles) {
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
            if let dir = config.sourcesDir, !dir.value.hasPrefix("/") {
                config.sourcesDir = Located(base + "/" + dir.value, at: dir.location)
            }
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
        // The organizations of `sources_dir` join `sources:`; every problem of every file is collected.
        if var config = decoded.config, let dir = config.sourcesDir {
            let loaded = OrganizationFiles.load(dir, config: config, zones: zones)
            decoded.diagnostics += loaded.diagnostics
            sources.merge(loaded.sources)
            config.sources += loaded.organizations
            decoded.config = loaded.diagnostics.hasErrors ? nil : config
        }
        return (decoded.config, decoded.diagnostics, sources)
    }
}
