public import AuditwatchCore
internal import CYAML

/// Reads YAML text into located `DocumentNode`s with libyaml's event parser.
///
/// Every node keeps the line and column libyaml reports, so any later finding can point at the
/// exact spot. Aliases are expanded with a budget: a "billion laughs" file is an error, not a hang.
/// Nesting is capped too: every later walk over the nodes (decoders, the destructor) recurses.
public enum YAMLDocumentReader {
    /// The most nodes a file may expand to through aliases.
    public static let defaultExpansionLimit = 100_000
    /// The deepest nesting of lists and maps a document may have (as JSON events: 256).
    public static let defaultMaxDepth = 256

    /// The documents of a (possibly multi-document) YAML text, or the syntax error that stopped it.
    public static func read(
        _ text: String, file: String, expansionLimit: Int = defaultExpansionLimit, maxDepth: Int = defaultMaxDepth
    ) -> (documents: [DocumentNode], diagnostics: [Diagnostic]) {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0x0A] }
        return bytes.withUnsafeBufferPointer { buffer in
            var builder = Builder(file: file, expansionLimit: expansionLimit, maxDepth: maxDepth)
            builder.run(buffer)
            return (builder.documents, builder.diagnostics.map { YAMLSyntaxHint.annotate($0, text: text) })
        }
    }
}

private struct Builder {
    let file: String
    let expansionLimit: Int
    let maxDepth: Int
    var documents: [DocumentNode] = []
    var diagnostics: [Diagnostic] = []

    /// An open list or map. Frames are changed in place on the stack (`stack[top]`), so
    /// appending a node never copies the items gathered so far.
    private struct Frame {
        var isMapping: Bool
        var items: [DocumentNode] = []
        var entries: [DocumentNode.MappingEntry] = []
        var pendingKey: DocumentNode?
        var start: SourceLocation
        var anchor: String?
        var size = 1

        init(isMapping: Bool, start: SourceLocation, anchor: String?) {
            self.isMapping = isMapping
            self.start = start
            self.anchor = anchor
        }
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: DocumentNode, size: Int)] = [:]
    private var expanded = 0

    init(file: String, expansionLimit: Int, maxDepth: Int) {
        self.file = file
        self.expansionLimit = expansionLimit
        self.maxDepth = maxDepth
    }

    mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            diagnostics.append(.error("libyaml could not start (out of memory)", at: nil))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input.baseAddress, input.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportSyntaxError(parser)
                return
            }
            defer { yaml_event_delete(&event) }
            let location = locate(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                expanded = 0
                stack = []
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = string(scalar.value, length: scalar.length)
                let style: DocumentNode.Scalar.Style
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                let tag = scalar.tag.map { String(cString: $0) }
                let node = DocumentNode(.scalar(.init(text, style: style, tag: tag)), at: location)
                if !add(node, size: 1, anchor: scalar.anchor.map { String(cString: $0) }) { return }
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let target = anchors[name] else {
                    diagnostics.append(.error("unknown YAML alias '*\(name)'", at: location))
                    return
                }
                expanded += target.size
                guard expanded <= expansionLimit else {
                    diagnostics.append(
                        .error(
                            "YAML aliases expand to more than \(expansionLimit) nodes; refusing to read further",
                            at: location))
                    return
                }
                if !add(target.node, size: target.size, anchor: nil) { return }
            case YAML_SEQUENCE_START_EVENT:
                if !enter(at: location) { return }
                stack.append(
                    Frame(
                        isMapping: false, start: location,
                        anchor: event.data.sequence_start.anchor.map { String(cString: $0) }))
            case YAML_MAPPING_START_EVENT:
                if !enter(at: location) { return }
                stack.append(
                    Frame(
                        isMapping: true, start: location,
                        anchor: event.data.mapping_start.anchor.map { String(cString: $0) }))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { break }
                let node = DocumentNode(
                    frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), at: frame.start)
                if !add(node, size: frame.size, anchor: frame.anchor) { return }
            default:
                break
            }
        }
    }

    /// Whether one more level of nesting is allowed; reports the limit where it is passed.
    private mutating func enter(at location: SourceLocation) -> Bool {
        guard stack.count >= maxDepth else { return true }
        diagnostics.append(
            .error(
                "YAML nesting deeper than \(maxDepth) levels of lists and maps; refusing to read further", at: location)
        )
        return false
    }

    /// Attaches a finished node to its parent, or finishes the document. False stops reading.
    private mutating func add(_ node: DocumentNode, size: Int, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else {
            documents.append(node)
            return true
        }
        let top = stack.count - 1
        stack[top].size += size
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].entries.append(.init(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            stack[top].pendingKey = node
        }
        return true
    }

    private func locate(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private mutating func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = "YAML syntax error: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
        }
        diagnostics.append(.error(message, at: locate(parser.problem_mark)))
    }
}
