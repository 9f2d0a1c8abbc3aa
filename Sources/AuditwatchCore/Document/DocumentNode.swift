/// A node of a YAML document with its place in the file: what rule, test and config readers
/// decode, whatever parser produced it.
public struct DocumentNode: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([DocumentNode])
        case mapping([MappingEntry])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// A scalar's text and how it was written.
    public struct Scalar: Sendable, Hashable {
        public enum Style: Sendable, Hashable { case plain, singleQuoted, doubleQuoted, literal, folded }
        public var text: String
        public var style: Style
        /// An explicit tag such as `!!str`, when one was written.
        public var tag: String?

        public init(_ text: String, style: Style = .plain, tag: String? = nil) {
            self.text = text
            self.style = style
            self.tag = tag
        }
    }

    public struct MappingEntry: Sendable {
        public var key: DocumentNode
        public var value: DocumentNode
        public init(key: DocumentNode, value: DocumentNode) {
            self.key = key
            self.value = value
        }
    }
}

extension DocumentNode {
    /// The scalar, when this node is one.
    public var scalar: Scalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The elements, when this node is a sequence.
    public var sequence: [DocumentNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries, when this node is a mapping.
    public var mapping: [MappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value of the first entry whose key is the scalar `key`.
    public subscript(key: String) -> DocumentNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// A short name of the node's kind for messages: "a mapping", "a list", "a string"…
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch scalar.resolved {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int, .double: return "a number"
            case .string: return "a string"
            }
        }
    }
}
