/// The text of the files diagnostics point into, so a renderer can quote the line.
public struct SourceFiles: Sendable {
    private var lines: [String: [Substring]] = [:]

    public init() {}

    /// Remembers `text` as the contents of `file`.
    public mutating func add(_ file: String, text: String) {
        // Split by scalars, not Characters: "\r\n" is one Character, so a Character split
        // would leave a CRLF file as a single line (and is slow besides).
        lines[file] = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Substring(line.last == "\r" ? line.dropLast() : line)
        }
    }

    /// Line `number` (1-based) of `file`, if known.
    public func line(_ number: Int, of file: String) -> Substring? {
        guard let fileLines = lines[file], number >= 1, number <= fileLines.count else { return nil }
        return fileLines[number - 1]
    }

    /// Adds every file of `other`.
    public mutating func merge(_ other: SourceFiles) {
        lines.merge(other.lines) { _, new in new }
    }
}
