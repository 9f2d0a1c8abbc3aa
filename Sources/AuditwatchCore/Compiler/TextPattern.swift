/// A compiled Sigma string value: wildcards `*` and `?`, Sigma's backslash escapes, and
/// case-insensitive comparison unless `cased`.
///
/// Plain shapes (exact, prefix, suffix, substring) get direct byte comparisons; only values with
/// inner wildcards use the general matcher, which is linear per star in practice and never
/// exponential. Case folding is ASCII-inline; non-ASCII text is lowercased by Unicode rules.
struct TextPattern: Sendable, Hashable {
    enum Shape: Sendable, Hashable { case exact, prefix, suffix, contains, glob }
    typealias Piece = Glob.Piece

    let shape: Shape
    /// The literal bytes for the plain shapes (lowercased unless case-sensitive).
    let literal: [UInt8]
    /// The whole pattern for `.glob`.
    let pieces: [Piece]
    let caseSensitive: Bool

    /// Compiles `value` as written in a rule. `leadingStar`/`trailingStar` add the wildcards of
    /// `contains`, `startswith` and `endswith`.
    init(
        sigmaValue value: String, caseSensitive: Bool, leadingStar: Bool = false, trailingStar: Bool = false,
        wildcards: Bool = true
    ) {
        var pieces: [Piece] = leadingStar ? [.star] : []
        let source = caseSensitive ? value : value.lowercased()
        let characters = Array(source.unicodeScalars)
        var index = 0
        func appendLiteral(_ scalar: Unicode.Scalar) {
            for byte in String(scalar).utf8 { pieces.append(.byte(byte)) }
        }
        while index < characters.count {
            let scalar = characters[index]
            if wildcards && scalar == "\\" && index + 1 < characters.count {
                let next = characters[index + 1]
                if next == "*" || next == "?" || next == "\\" {
                    appendLiteral(next)
                    index += 2
                    continue
                }
                appendLiteral(scalar)
                index += 1
                continue
            }
            if wildcards && scalar == "*" {
                if pieces.last != .star { pieces.append(.star) }
            } else if wildcards && scalar == "?" {
                pieces.append(.one)
            } else {
                appendLiteral(scalar)
            }
            index += 1
        }
        if trailingStar && pieces.last != .star { pieces.append(.star) }
        self.init(pieces: pieces, caseSensitive: caseSensitive)
    }

    init(pieces: [Piece], caseSensitive: Bool) {
        self.caseSensitive = caseSensitive
        let stars = pieces.filter { $0 == .star }.count
        let hasOne = pieces.contains(.one)
        let bytes = pieces.compactMap { piece -> UInt8? in
            if case .byte(let byte) = piece { return byte }
            return nil
        }
        let startsWithStar = pieces.first == .star
        let endsWithStar = pieces.last == .star && pieces.count > 0
        if hasOne || stars > 2 || (stars == 1 && !startsWithStar && !endsWithStar)
            || (stars == 2 && !(startsWithStar && endsWithStar))
        {
            shape = .glob
        } else if stars == 0 {
            shape = .exact
        } else if stars == 2 || (pieces.count == 1) {
            shape = .contains
        } else if endsWithStar {
            shape = .prefix
        } else {
            shape = .suffix
        }
        literal = bytes
        self.pieces = pieces
    }

    /// Whether `text` (UTF-8) matches.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if !caseSensitive && !TextPattern.isASCII(text) {
            // Rare: non-ASCII text is lowered by Unicode rules, then compared exactly.
            let lowered = Array(String(decoding: text, as: UTF8.self).lowercased().utf8)
            return lowered.withUnsafeBufferPointer { matches(prepared: $0, fold: false) }
        }
        return matches(prepared: text, fold: !caseSensitive)
    }

    private func matches(prepared text: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        literal.withUnsafeBufferPointer { literal in
            switch shape {
            case .exact:
                return text.count == literal.count && TextPattern.equal(text, 0, literal, fold: fold)
            case .prefix:
                return text.count >= literal.count && TextPattern.equal(text, 0, literal, fold: fold)
            case .suffix:
                return text.count >= literal.count
                    && TextPattern.equal(text, text.count - literal.count, literal, fold: fold)
            case .contains:
                guard literal.count <= text.count else { return false }
                if literal.isEmpty { return true }
                var start = 0
                let first = literal[0]
                while start + literal.count <= text.count {
                    let byte = fold ? TextPattern.lower(text[start]) : text[start]
                    if byte == first && TextPattern.equal(text, start, literal, fold: fold) { return true }
                    start += 1
                }
                return false
            case .glob:
                return Glob.match(pieces, text, fold: fold)
            }
        }
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    @inline(__always) static func equal(
        _ text: UnsafeBufferPointer<UInt8>, _ offset: Int, _ literal: UnsafeBufferPointer<UInt8>, fold: Bool
    ) -> Bool {
        if !fold {
            return literal.isEmpty || memoryEqual(text.baseAddress! + offset, literal.baseAddress!, literal.count)
        }
        for index in 0..<literal.count where lower(text[offset + index]) != literal[index] { return false }
        return true
    }

    static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = text.count
        if let base = text.baseAddress {
            while index + 8 <= count {
                if UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                    return false
                }
                index += 8
            }
        }
        while index < count {
            if text[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    @inline(__always) static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}
