/// Where a source was read up to: enough to resume exactly after the last committed event.
public struct InputPosition: Codable, Sendable, Equatable {
    /// The input's name (an absolute path, or `-`).
    public var source: String
    /// JSON Lines: the byte offset of the first unread line. Whole documents: 0.
    public var byteOffset: Int64
    /// Lines read so far (for messages after a resume).
    public var line: Int
    /// Events read so far from this source.
    public var events: Int
    /// Identifies the file's content (a digest of its start), so a replaced file is not resumed mid-way.
    public var fingerprint: String

    public init(source: String, byteOffset: Int64, line: Int, events: Int, fingerprint: String) {
        self.source = source
        self.byteOffset = byteOffset
        self.line = line
        self.events = events
        self.fingerprint = fingerprint
    }
}
