/// The kind of a JSON value in a parsed document.
public enum JSONKind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null
}

/// One entry of a document's flat node tape.
///
/// A document is stored in document order: an object is followed by its members as
/// alternating key and value subtrees; an array by its elements. `end` lets a reader skip a
/// whole subtree in one step, so a field lookup never walks values it does not need.
public struct JSONNode: Sendable, Equatable {
    /// What the node holds.
    public var kind: JSONKind
    /// For strings: the raw bytes contain backslash escapes and must be decoded to compare.
    public var isEscaped: Bool
    /// For numbers: the text has no fraction and no exponent.
    public var isInteger: Bool
    /// For objects and arrays: some object in this subtree (itself included) may have a key
    /// twice. The parser compares plain keys of equal length as it reads them, so this is false
    /// for every subtree without a repeat, and true only at a real repeat or where an escaped key
    /// would need decoding to tell (a reader then checks exactly). Declared here, it
    /// fills the padding byte before `start`: a node stays 16 bytes.
    public var mayRepeatKey = false
    /// Byte offset of the value's text: a string's first content byte (after the quote),
    /// a number's first character, a container's opening bracket.
    public var start: UInt32
    /// Strings: raw content length in bytes. Numbers: text length. Containers: member or element count.
    public var length: UInt32
    /// Index of the first node after this node's subtree.
    public var end: UInt32

    /// A placeholder for tape slots the parser has not written yet.
    static let empty = JSONNode(kind: .null, isEscaped: false, isInteger: false, start: 0, length: 0, end: 0)
}
