public import AuditwatchCore
import AuditwatchYAML
import Foundation

/// Reads `sources_dir`: every `*.yml`/`*.yaml` directly in the directory (hidden files left out, in
/// name order) is one organization. Problems are located in their files: unknown keys with a
/// did-you-mean, notifiers the config does not define, a name given twice across the files and
/// `sources:`. Every file is read, so one load reports every problem.
public enum OrganizationFiles {
    public static func load(
        _ dir: Located<String>, config: ServiceConfig, zones: any ZoneLookup
    ) -> (organizations: [SourceConfig], diagnostics: [Diagnostic], sources: SourceFiles) {
        var sources = SourceFiles()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.value, isDirectory: &isDirectory), isDirectory.boolValue,
            let names = try? FileManager.default.contentsOfDirectory(atPath: dir.value)
        else {
            return ([], [.error("'sources_dir' is not a directory: '\(dir.value)'", at: dir.location)], sources)
        }
        var diagnostics: [Diagnostic] = []
        var organizations: [SourceConfig] = []
        var defined: [String: SourceLocation] = Dictionary(
            config.sources.map { ($0.name, $0.location) }, uniquingKeysWith: { first, _ in first })
        let files = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yml") || $0.hasSuffix(".yaml")) }.sorted()
        for name in files {
            let path = dir.value.hasSuffix("/") ? dir.value + name : dir.value + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.append(.error("cannot read organization file '\(path)'", at: dir.location))
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            sources.add(path, text: text)
            let parsed = YAMLDocumentReader.read(text, file: path)
            diagnostics += parsed.diagnostics
            guard parsed.diagnostics.isEmpty else { continue }
            guard let document = parsed.documents.first else {
                diagnostics.append(
                    .error("organization file '\(path)' is empty", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            if parsed.documents.count > 1 {
                diagnostics.append(
                    .error(
                        "an organization file holds one organization (one YAML document)",
                        at: parsed.documents[1].location))
                continue
            }
            let decoded = ConfigDecoder.decodeOrganization(document, file: path, zones: { try? zones.zone($0).get() })
            diagnostics += zones.withZoneHints(decoded.diagnostics)
            guard let organization = decoded.source else { continue }
            diagnostics += ConfigDecoder.unknownNotifiers(of: organization, known: config.notifierNames)
            if let first = defined[organization.name] {
                diagnostics.append(
                    .error(
                        "duplicate organization '\(organization.name)'; it is also defined at \(first)",
                        at: organization.location, ruleID: organization.name))
                continue
            }
            defined[organization.name] = organization.location
            organizations.append(organization)
        }
        return (organizations, diagnostics, sources)
    }
}
