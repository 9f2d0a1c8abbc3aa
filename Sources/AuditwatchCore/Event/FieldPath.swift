/// A compiled field path such as `actor.session.user.email` or `api_key.created.data.scopes`.
///
/// Audit events use keys that contain dots (`"api_key.created": {...}`), so a path cannot be
/// split naively. At each object the longest run of the remaining segments that exists as a
/// literal key wins, then resolution descends; `[project.archived].id` forces the literal key.
/// Arrays met before the end of a path are entered element by element.
public final class FieldPath: Hashable, @unchecked Sendable, CustomStringConvertible {
    /// The path as written.
    public let text: String
    /// The segments; a bracketed segment never joins with its neighbours.
    let segments: [Segment]
    /// For each segment index, the keys that may match there, longest first, flattened into
    /// memory the path owns so resolution reads them without reference counting (immutable
    /// after init, hence `@unchecked Sendable`).
    let table: CandidateTable
    /// Derived-field behaviour, when the path names one (see `DerivedField`).
    let derived: DerivedField?
    /// The path is exactly `type`: the event already holds that node.
    let isType: Bool

    struct Segment: Hashable, Sendable {
        var name: String
        var isBracketed: Bool
    }

    /// Parses a path. Throws when a segment is empty or a bracket is not closed.
    public convenience init(_ text: String) throws(FieldPathError) {
        let segments = try FieldPath.split(text)
        self.init(
            text: text, segments: segments,
            derived: DerivedField(segments: segments.map(\.name), bracketed: segments.contains { $0.isBracketed }))
    }

    init(text: String, segments: [Segment], derived: DerivedField?) {
        self.text = text
        self.segments = segments
        self.derived = derived
        isType = segments.count == 1 && segments[0].name == "type" && !segments[0].isBracketed
        // Straight into the flat table, longest key first at each segment (no array per key:
        // start-up builds a path for every field test of every rule).
        var ranges: [Int32] = []
        var entries: [CandidateTable.Entry] = []
        var keys: [UInt8] = []
        for start in segments.indices {
            ranges.append(Int32(entries.count))
            // A bracketed segment stands alone: no key spans into or out of it.
            var last = start
            while last + 1 < segments.count, !segments[last + 1].isBracketed, !segments[last].isBracketed {
                last += 1
            }
            for stop in stride(from: last, through: start, by: -1) {
                let offset = keys.count
                for index in start...stop {
                    if index > start { keys.append(UInt8(ascii: ".")) }
                    keys.append(contentsOf: segments[index].name.utf8)
                }
                entries.append(
                    CandidateTable.Entry(
                        offset: Int32(offset), length: Int32(keys.count - offset), next: Int32(stop + 1)))
            }
        }
        ranges.append(Int32(entries.count))
        table = CandidateTable(ranges: ranges, entries: entries, keys: keys)
    }

    deinit { table.deallocate() }

    public var description: String { text }

    /// Candidates as flat arrays: `ranges[s]..<ranges[s + 1]` index `entries` for segment `s`;
    /// each entry names its key's bytes in `keys` and the segment resolution continues at.
    struct CandidateTable {
        struct Entry { var offset: Int32; var length: Int32; var next: Int32 }
        let ranges: UnsafeMutablePointer<Int32>
        let entries: UnsafeMutablePointer<Entry>
        let keys: UnsafeMutablePointer<UInt8>
        let segmentCount: Int

        init(ranges: [Int32], entries: [Entry], keys: [UInt8]) {
            segmentCount = ranges.count - 1
            self.ranges = .allocate(capacity: ranges.count)
            self.ranges.initialize(from: ranges, count: ranges.count)
            self.entries = .allocate(capacity: max(entries.count, 1))
            self.entries.initialize(from: entries, count: entries.count)
            self.keys = .allocate(capacity: max(keys.count, 1))
            self.keys.initialize(from: keys, count: keys.count)
        }

        func deallocate() {
            ranges.deallocate()
            entries.deallocate()
            keys.deallocate()
        }
    }

    public static func == (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    private static func split(_ text: String) throws(FieldPathError) -> [Segment] {
        if let segments = try splitASCII(text) { return segments }
        var segments: [Segment] = []
        var current = ""
        var inBracket = false
        var bracketed = false
        var afterBracket = false
        for character in text {
            if inBracket {
                if character == "]" { inBracket = false; afterBracket = true } else { current.append(character) }
                continue
            }
            switch character {
            case "[" where current.isEmpty && !afterBracket:
                inBracket = true
                bracketed = true
            case ".":
                guard !current.isEmpty else {
                    throw FieldPathError(path: text, message: "empty segment in field path '\(text)'")
                }
                segments.append(Segment(name: current, isBracketed: bracketed))
                current = ""
                bracketed = false
                afterBracket = false
            default:
                if afterBracket {
                    throw FieldPathError(path: text, message: "expected '.' after ']' in field path '\(text)'")
                }
                current.append(character)
            }
        }
        if inBracket { throw FieldPathError(path: text, message: "unclosed '[' in field path '\(text)'") }
        guard !current.isEmpty else {
            throw FieldPathError(
                path: text, message: text.isEmpty ? "empty field path" : "empty segment in field path '\(text)'")
        }
        segments.append(Segment(name: current, isBracketed: bracketed))
        return segments
    }
}

extension FieldPath {
    /// `split` read byte by byte when the path is ASCII (nil otherwise): there every Character is
    /// one byte but "\r\n", which holds none of `.[]`, so the same steps give the same segments
    /// and errors without building a Character per byte (a rule set's paths are parsed at start-up).
    fileprivate static func splitASCII(_ text: String) throws(FieldPathError) -> [Segment]? {
        var segments: [Segment] = []
        var current: [UInt8] = []
        var inBracket = false
        var bracketed = false
        var afterBracket = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if inBracket {
                if byte == UInt8(ascii: "]") { inBracket = false; afterBracket = true } else { current.append(byte) }
                continue
            }
            switch byte {
            case UInt8(ascii: "[") where current.isEmpty && !afterBracket:
                inBracket = true
                bracketed = true
            case UInt8(ascii: "."):
                guard !current.isEmpty else {
                    throw FieldPathError(path: text, message: "empty segment in field path '\(text)'")
                }
                segments.append(Segment(name: String(decoding: current, as: UTF8.self), isBracketed: bracketed))
                current.removeAll(keepingCapacity: true)
                bracketed = false
                afterBracket = false
            default:
                if afterBracket {
                    throw FieldPathError(path: text, message: "expected '.' after ']' in field path '\(text)'")
                }
                current.append(byte)
            }
        }
        if inBracket { throw FieldPathError(path: text, message: "unclosed '[' in field path '\(text)'") }
        guard !current.isEmpty else {
            throw FieldPathError(
                path: text, message: text.isEmpty ? "empty field path" : "empty segment in field path '\(text)'")
        }
        segments.append(Segment(name: String(decoding: current, as: UTF8.self), isBracketed: bracketed))
        return segments
    }
}

/// A field path that cannot be parsed.
public struct FieldPathError: Error, Sendable, Equatable {
    public var path: String
    public var message: String
}
