import AuditwatchCore
import AuditwatchYAML

/// The libyaml reader: documents and diagnostics for any text, then a walk of every node.
enum YAMLTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        let text = String(decoding: input, as: UTF8.self)
        let parsed = YAMLDocumentReader.read(text, file: "fuzz.yml")
        var sources = SourceFiles()
        sources.add("fuzz.yml", text: text)
        for diagnostic in parsed.diagnostics.prefix(8) {
            _ = DiagnosticRenderer(sources: sources).text(diagnostic)
            _ = DiagnosticRenderer(sources: sources).json(diagnostic)
        }
        for document in parsed.documents { walk(document) }
    }

    /// Visits every node with an explicit stack: the harness must not be what runs out of stack.
    private static func walk(_ root: DocumentNode) {
        var pending = [root]
        while let node = pending.popLast() {
            precondition(node.location.line >= 1 && node.location.column >= 1, "a node without a place")
            switch node.content {
            case .scalar(let scalar): _ = scalar.text.utf8.count
            case .sequence(let items): pending += items
            case .mapping(let entries):
                for entry in entries { pending += [entry.key, entry.value] }
            }
        }
    }
}
