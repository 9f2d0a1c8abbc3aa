/// A compiled field path such as `actor.session.user.email` or `api_key.created.data.scopes`.
///
/// Audit events use keys that contain dots (`"api_key.created": {...}`), so a path cannot be
/// split naively. At each object the longest run of the remaining segments that exists as a
/// literal key wins, then resolution descends; `[project.archived].id` forces the literal key.
/// Arrays met before the end of a path are entered element by element.
public final class FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// The path as written.
    public let text: String
    /// The segments; a bracketed segment never joins with its neighbours.
    let segments: [Segment]
    /// For each segment index, the keys that may match there, longest first.
    let candidates: [[Candidate]]
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
        self.init(text: text, segments: segments, derived: DerivedField(segments: segments.map(\.name), bracketed: segments.contains { $0.isBracketed }))
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
        self.candidates = candidates
    }

    public var description: String { text }

    public static func == (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    private static func split(_ text: String) throws(FieldPathError) -> [Segment] {
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
                guard !current.isEmpty else { throw FieldPathError(path: text, message: "empty segment in field path '\(text)'") }
                segments.append(Segment(name: current, isBracketed: bracketed))
                current = ""
                bracketed = false
                afterBracket = false
            default:
                if afterBracket { throw FieldPathError(path: text, message: "expected '.' after ']' in field path '\(text)'") }
                current.append(character)
            }
        }
        if inBracket { throw FieldPathError(path: text, message: "unclosed '[' in field path '\(text)'") }
        guard !current.isEmpty else { throw FieldPathError(path: text, message: text.isEmpty ? "empty field path" : "empty segment in field path '\(text)'") }
        segments.append(Segment(name: current, isBracketed: bracketed))
        return segments
    }
}

/// A field path that cannot be parsed.
public struct FieldPathError: Error, Sendable, Equatable {
    public var path: String
    public var message: String
}
