public import AuditwatchCore
import Foundation

/// Reads a placeholders file (`--placeholders FILE`, `placeholders_file:`): one YAML document
/// `placeholders: {name: [values]}`, the same shape as the pack's own `rules/placeholders.yml`.
public enum PlaceholderFile {
    public static func load(
        _ path: String
    ) -> (
        placeholders: [String: [String]], diagnostics: [Diagnostic],
        sources: SourceFiles
    ) {
        var sources = SourceFiles()
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([:], [.error("cannot read placeholders file '\(path)'", at: nil)], sources)
        }
        let text = String(decoding: data, as: UTF8.self)
        sources.add(path, text: text)
        let parsed = YAMLDocumentReader.read(text, file: path)
        var diagnostics = parsed.diagnostics
        var result: [String: [String]] = [:]
        for document in parsed.documents {
            var reader = MappingReader(document, what: "a placeholders file", known: ["placeholders"])
            if let node = reader["placeholders"] {
                result.merge(RuleTuning.decodePlaceholders(node, diagnostics: &reader.diagnostics)) { _, new in new }
            } else if reader.diagnostics.isEmpty {
                reader.diagnostics.append(
                    .error(
                        "a placeholders file holds 'placeholders: {name: [values]}'",
                        at: document.location))
            }
            diagnostics += reader.diagnostics
        }
        return (result, diagnostics, sources)
    }
}
