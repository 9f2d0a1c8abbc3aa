/// The text of the files diagnostics point into, so a renderer can quote the line.
public struct SourceFiles: Sendable {
    /// Each file's text and the UTF-8 offset where each of its lines starts: lines are cut only
    /// when a diagnostic quotes one (most loads quote none, and a thousand rule files are 4 MB).
    private var files: [String: (text: String, starts: [Int])] = [:]

    public init() {}

    /// Remembers `text` as the contents of `file`.
    public mutating func add(_ file: String, text: String) {
        // Split at the newline byte, not at Characters: "\r\n" is one Character, so a Character
        // split would leave a CRLF file as a single line (and is slow besides).
        var starts = [0]
        var offset = 0
        for byte in text.utf8 {
            offset += 1
            if byte == UInt8(ascii: "\n") { starts.append(offset) }
        }
        files[file] = (text, starts)
    }

    /// Line `number` (1-based) of `file`, if known, without its line end (`\n` or `\r\n`).
    public func line(_ number: Int, of file: String) -> Substring? {
        guard let entry = files[file], number >= 1, number <= entry.starts.count else { return nil }
        let text = entry.text
        let starts = entry.starts
        let utf8 = text.utf8
        var end = number < starts.count ? starts[number] - 1 : utf8.count
        let start = utf8.index(utf8.startIndex, offsetBy: starts[number - 1])
        if end > starts[number - 1], utf8[utf8.index(utf8.startIndex, offsetBy: end - 1)] == UInt8(ascii: "\r") {
            end -= 1
        }
        return text[start..<utf8.index(utf8.startIndex, offsetBy: end)]
    }

    /// Adds every file of `other`.
    public mutating func merge(_ other: SourceFiles) {
        files.merge(other.files) { _, new in new }
    }
}
