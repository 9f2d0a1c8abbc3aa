/// A document written as a Swift literal, so tests build rules, correlations and calendars in
/// code, without a YAML parser:
///
///     let rule: DocumentLiteral = [
///         "title": "Failed sign-in", "id": "failed", "level": "low",
///         "detection": ["sel": ["type": "login.failed"], "condition": "sel"],
///     ]
///     let node = rule.node(file: "rules.yml")
///
/// Dictionary literals keep their order. `node` lays the document out as block YAML would (one
/// key per line, two spaces per level, `- ` before list items, empty collections as `{}`/`[]`)
/// and gives every node the line and column it has in `yaml`, so diagnostics point where a
/// reader of that text would look.
public indirect enum DocumentLiteral: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    case scalar(DocumentNode.Scalar)
    case list([DocumentLiteral])
    case map([(key: String, value: DocumentLiteral)])

    public init(stringLiteral value: String) { self = .scalar(.init(value)) }
    public init(integerLiteral value: Int) { self = .scalar(.init(String(value))) }
    public init(floatLiteral value: Double) { self = .scalar(.init(String(value))) }
    public init(booleanLiteral value: Bool) { self = .scalar(.init(value ? "true" : "false")) }
    public init(nilLiteral: ()) { self = .scalar(.init("null")) }
    public init(arrayLiteral elements: DocumentLiteral...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, DocumentLiteral)...) {
        self = .map(elements.map { (key: $0.0, value: $0.1) })
    }

    /// A string written in single quotes: always text, even `'true'` or `'12'`.
    public static func quoted(_ text: String) -> DocumentLiteral { .scalar(.init(text, style: .singleQuoted)) }

    /// The located node, as if `yaml` were read from `file`.
    public func node(file: String = "rules.yml") -> DocumentNode {
        var layout = Layout(file: file)
        return layout.place(self, indent: 0)
    }

    /// The block YAML the locations of `node` refer to.
    public var yaml: String {
        var layout = Layout(file: "")
        _ = layout.place(self, indent: 0)
        return layout.text
    }

    /// Scalars and empty collections sit on their key's line.
    private var isInline: Bool {
        switch self {
        case .scalar: return true
        case .list(let items): return items.isEmpty
        case .map(let entries): return entries.isEmpty
        }
    }

    /// Writes the text and places the nodes at once, so the two cannot disagree.
    private struct Layout {
        let file: String
        var text = ""
        var line = 1
        var column = 1

        init(file: String) { self.file = file }

        var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

        mutating func write(_ piece: String) {
            text += piece
            column += piece.count
        }

        mutating func newLine(indent: Int) {
            text += "\n"
            line += 1
            column = 1
            write(String(repeating: " ", count: indent))
        }

        /// Places `literal` at the current position; a collection's later lines start at `indent`.
        mutating func place(_ literal: DocumentLiteral, indent: Int) -> DocumentNode {
            switch literal {
            case .scalar(let scalar):
                let location = here
                write(scalar.style == .singleQuoted ? "'" + scalar.text.replacing("'", with: "''") + "'" : scalar.text)
                return DocumentNode(.scalar(scalar), at: location)
            case .list(let items) where items.isEmpty:
                let location = here
                write("[]")
                return DocumentNode(.sequence([]), at: location)
            case .map(let entries) where entries.isEmpty:
                let location = here
                write("{}")
                return DocumentNode(.mapping([]), at: location)
            case .list(let items):
                let location = here
                var nodes: [DocumentNode] = []
                for (index, item) in items.enumerated() {
                    if index > 0 { newLine(indent: indent) }
                    write("- ")
                    nodes.append(place(item, indent: indent + 2))
                }
                return DocumentNode(.sequence(nodes), at: location)
            case .map(let entries):
                let location = here
                var nodes: [DocumentNode.MappingEntry] = []
                for (index, entry) in entries.enumerated() {
                    if index > 0 { newLine(indent: indent) }
                    let key = DocumentNode(.scalar(.init(entry.key)), at: here)
                    write(entry.key + ":")
                    let value: DocumentNode
                    switch entry.value {
                    case _ where entry.value.isInline:
                        write(" ")
                        value = place(entry.value, indent: indent + 2)
                    case .list:
                        // Block lists sit at the key's own indentation, as YAML writers usually put them.
                        newLine(indent: indent)
                        value = place(entry.value, indent: indent)
                    case .map, .scalar:
                        newLine(indent: indent + 2)
                        value = place(entry.value, indent: indent + 2)
                    }
                    nodes.append(.init(key: key, value: value))
                }
                return DocumentNode(.mapping(nodes), at: location)
            }
        }
    }
}
