/// Wildcard matching, the one matcher of the tree: Sigma values (`TextPattern` compiles their
/// `*`, `?` and escapes into pieces), the selection names of `1 of sel_*`, and `rules test`'s
/// name filter.
public struct Glob: Sendable, Hashable {
    public enum Piece: Sendable, Hashable { case byte(UInt8), star, one }

    public let pieces: [Piece]

    public init(pieces: [Piece]) { self.pieces = pieces }

    /// `*` matches any run of characters; every other character stands for itself.
    public init(stars pattern: String) {
        pieces = pattern.utf8.map { $0 == UInt8(ascii: "*") ? .star : .byte($0) }
    }

    /// Whether all of `text` matches (case-sensitive).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { Glob.match(pieces, $0, fold: false) }
    }

    /// Iterative wildcard matching with one backtrack point (the last star), never exponential.
    /// `*` and `?` take whole UTF-8 scalars; `fold` lowers the text's ASCII letters (the pieces are
    /// lowered already).
    static func match(_ pieces: [Piece], _ text: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        var t = 0, p = 0
        var starPiece = -1, starText = 0
        while t < text.count {
            if p < pieces.count {
                switch pieces[p] {
                case .one:
                    t += TextPattern.scalarLength(text[t])
                    p += 1
                    continue
                case .byte(let byte):
                    if (fold ? TextPattern.lower(text[t]) : text[t]) == byte {
                        t += 1
                        p += 1
                        continue
                    }
                case .star:
                    starPiece = p
                    starText = t
                    p += 1
                    continue
                }
            }
            guard starPiece >= 0 else { return false }
            starText += TextPattern.scalarLength(text[starText])
            t = starText
            p = starPiece + 1
        }
        while p < pieces.count && pieces[p] == .star { p += 1 }
        return p == pieces.count
    }
}
