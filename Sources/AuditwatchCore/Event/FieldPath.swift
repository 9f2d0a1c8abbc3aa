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

    struct Candidate: Hashable, Sendable {
        var key: [UInt8]
        var next: Int
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
        var candidates: [[Candidate]] = []
        for start in segments.indices {
            var here: [Candidate] = []
            var joined: [UInt8] = []
            for stop in start..<segments.count {
                if stop > start {
                    // A bracketed segment stands alone: no key spans into or out of it.
                    if segments[stop].isBracketed || segments[stop - 1].isBracketed { break }
                    joined.append(UInt8(ascii: "."))
                }
                joined.append(contentsOf: segments[stop].name.utf8)
                here.append(Candidate(key: joined, next: stop + 1))
            }
            candidates.append(here.reversed())
        }
        table = CandidateTable(candidates)
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

        init(_ candidates: [[Candidate]]) {
            segmentCount = candidates.count
            let entryCount = candidates.reduce(0) { $0 + $1.count }
            let byteCount = candidates.reduce(0) { $0 + $1.reduce(0) { $0 + $1.key.count } }
            ranges = .allocate(capacity: candidates.count + 1)
            entries = .allocate(capacity: max(entryCount, 1))
            keys = .allocate(capacity: max(byteCount, 1))
            var entry = 0
            var offset = 0
            for (segment, here) in candidates.enumerated() {
                ranges[segment] = Int32(entry)
                for candidate in here {
                    entries[entry] = Entry(
                        offset: Int32(offset), length: Int32(candidate.key.count), next: Int32(candidate.next))
                    for (index, byte) in candidate.key.enumerated() { keys[offset + index] = byte }
                    offset += candidate.key.count
                    entry += 1
                }
            }
            ranges[candidates.count] = Int32(entry)
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
