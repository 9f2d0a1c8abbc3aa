/// A validating recursive-descent JSON parser (RFC 8259) that fills a node tape.
///
/// It checks everything a conforming parser must: the grammar, number syntax, string escapes,
/// control characters and UTF-8 inside strings, and trailing content. Nothing is decoded.
/// It writes into a fixed-size tape the caller provides (no per-node growth checks or
/// uniqueness tests); when the tape is too small it stops with `outOfSpace` set, and the caller
/// retries with a larger one.
struct JSONParser {
    private let input: UnsafePointer<UInt8>
    private let count: Int
    private var position = 0
    private let maxDepth: Int
    private let tape: UnsafeMutablePointer<JSONNode>
    private let capacity: Int
    /// Nodes written so far.
    private(set) var nodeCount = 0
    /// The parse stopped because the tape was full, not because the input is invalid.
    private(set) var outOfSpace = false
    /// Objects seen so far that may repeat a key: a container marks itself `mayRepeatKey` when
    /// this grew while its subtree was read.
    private var repeatSuspects = 0

    /// Stands in for the address of an empty input, which is never read.
    nonisolated(unsafe) private static let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    /// Parses `input` from byte `start` to its end into `tape` from node `firstNode` on; node
    /// offsets and indices are absolute, so several values can share one text and one tape.
    init(
        _ input: UnsafeBufferPointer<UInt8>, start: Int = 0, maxDepth: Int, tape: UnsafeMutableBufferPointer<JSONNode>,
        firstNode: Int = 0
    ) {
        self.input = input.baseAddress ?? UnsafePointer(JSONParser.emptyInput)
        self.count = input.count
        self.position = start
        self.nodeCount = firstNode
        self.maxDepth = maxDepth
        self.tape = tape.baseAddress!
        self.capacity = tape.count
    }

    @inline(__always)
    private mutating func append(_ node: JSONNode) throws(JSONParseError) -> Int {
        guard nodeCount < capacity else {
            outOfSpace = true
            throw JSONParseError(offset: position, message: "node tape full")
        }
        tape[nodeCount] = node
        nodeCount += 1
        return nodeCount - 1
    }

    mutating func parseDocument() throws(JSONParseError) {
        guard count <= Int(UInt32.max) else {
            throw JSONParseError(offset: 0, message: "input larger than 4 GiB")
        }
        skipWhitespace()
        guard position < count else { throw fail("empty input, expected a JSON value") }
        try parseValue(depth: 0)
        skipWhitespace()
        if position < count {
            throw fail("unexpected \(describe(input[position])) after the end of the JSON value")
        }
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) {
        guard position < count else { throw fail("unexpected end of input, expected a value") }
        switch input[position] {
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): _ = try parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true", kind: .true)
        case UInt8(ascii: "f"): try parseLiteral("false", kind: .false)
        case UInt8(ascii: "n"): try parseLiteral("null", kind: .null)
        default: throw fail("unexpected \(describe(input[position])), expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        let index = try append(
            JSONNode(kind: .object, isEscaped: false, isInteger: false, start: UInt32(position), length: 0, end: 0))
        position += 1
        skipWhitespace()
        var members: UInt32 = 0
        let suspectsBefore = repeatSuspects
        // Duplicate keys, found while parsing: a bit per key length (mod 64); only a key whose
        // bit is already set is compared with the earlier keys (a few per event). An escaped
        // key may decode to anything: it sets every bit, and its object is a suspect for an
        // exact reader. (Mixing a key byte into the bit had fewer compares but cost more.)
        var seen: UInt64 = 0
        var suspect = false
        if position < count && input[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard position < count else { throw fail("unexpected end of input inside an object") }
                guard input[position] == UInt8(ascii: "\"") else {
                    throw fail("unexpected \(describe(input[position])), expected a quoted member name")
                }
                let keyIndex = nodeCount
                let bit = try parseString()
                if seen & bit != 0 && repeatsKey(keyIndex, inObject: index) { suspect = true }
                seen |= bit
                skipWhitespace()
                guard position < count, input[position] == UInt8(ascii: ":") else {
                    throw fail(
                        position < count
                            ? "expected ':' after a member name, found \(describe(input[position]))"
                            : "unexpected end of input inside an object")
                }
                position += 1
                skipWhitespace()
                // Most member values are strings: scan them here, without the dispatch.
                if position < count && input[position] == UInt8(ascii: "\"") {
                    _ = try parseString()
                } else {
                    try parseValue(depth: depth)
                }
                members += 1
                skipWhitespace()
                guard position < count else { throw fail("unexpected end of input inside an object") }
                let byte = input[position]
                position += 1
                if byte == UInt8(ascii: ",") { skipWhitespace(); continue }
                if byte == UInt8(ascii: "}") { break }
                position -= 1
                throw fail("expected ',' or '}' in an object, found \(describe(byte))")
            }
        }
        tape[index].length = members
        tape[index].end = UInt32(nodeCount)
        if suspect { repeatSuspects &+= 1 }
        if repeatSuspects != suspectsBefore { tape[index].mayRepeatKey = true }
    }

    /// Whether the key at `keyIndex` may equal an earlier key of the object at `object`: true
    /// when one has the same bytes, or when either is escaped (an exact reader decides).
    private func repeatsKey(_ keyIndex: Int, inObject object: Int) -> Bool {
        let key = tape[keyIndex]
        if key.isEscaped { return true }
        var earlier = object + 1
        while earlier < keyIndex {
            let other = tape[earlier]
            if other.isEscaped { return true }
            if other.length == key.length
                && memoryEqual(input + Int(other.start), input + Int(key.start), Int(key.length))
            {
                return true
            }
            earlier = Int(tape[earlier + 1].end)
        }
        return false
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        let index = try append(
            JSONNode(kind: .array, isEscaped: false, isInteger: false, start: UInt32(position), length: 0, end: 0))
        position += 1
        skipWhitespace()
        var elements: UInt32 = 0
        let suspectsBefore = repeatSuspects
        if position < count && input[position] == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                try parseValue(depth: depth)
                elements += 1
                skipWhitespace()
                guard position < count else { throw fail("unexpected end of input inside an array") }
                let byte = input[position]
                position += 1
                if byte == UInt8(ascii: ",") { skipWhitespace(); continue }
                if byte == UInt8(ascii: "]") { break }
                position -= 1
                throw fail("expected ',' or ']' in an array, found \(describe(byte))")
            }
        }
        tape[index].length = elements
        tape[index].end = UInt32(nodeCount)
        if repeatSuspects != suspectsBefore { tape[index].mayRepeatKey = true }
    }

    /// Scans a string into a node; returns its key bit (see `parseObject`).
    @inline(__always)
    private mutating func parseString() throws(JSONParseError) -> UInt64 {
        let opening = position
        let start = position + 1
        // The scan keeps its cursor in a local (a register), not in `self`; it writes back only
        // around the rare slow paths (escapes, non-ASCII) and at the end.
        var cursor = start
        let limit = count
        let text = input
        var escaped = false
        while true {
            // Fast path: eight bytes at a time while none is a quote, a backslash, a control
            // character or non-ASCII (SWAR: the classic "has zero byte" bit trick). The lowest
            // flagged byte is always a real hit, so the scan jumps straight to it.
            while cursor &+ 8 <= limit {  // no overflow: the input is under 4 GiB
                let word = UnsafeRawPointer(text + cursor).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                var special = (quote &- ones) & ~quote
                special |= (backslash &- ones) & ~backslash
                special |= (word &- (ones &* 0x20)) & ~word
                special |= word
                let hits = special & highs
                if hits != 0 {
                    cursor &+= hits.trailingZeroBitCount &>> 3
                    break
                }
                cursor &+= 8
            }
            // Plain printable ASCII, byte by byte (the last few bytes of the input).
            while cursor < limit {
                let byte = text[cursor]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
                cursor &+= 1
            }
            guard cursor < limit else {
                position = opening
                throw fail("unterminated string")
            }
            let byte = text[cursor]
            if byte == UInt8(ascii: "\"") { break }
            position = cursor
            if byte == UInt8(ascii: "\\") {
                escaped = true
                try skipEscape()
            } else if byte < 0x20 {
                throw fail("control character \(describe(byte)) inside a string must be escaped")
            } else {
                try skipUTF8Scalar()
            }
            cursor = position
        }
        position = cursor &+ 1
        guard nodeCount < capacity else {
            outOfSpace = true
            throw JSONParseError(offset: cursor, message: "node tape full")
        }
        tape[nodeCount] = JSONNode(
            kind: .string, isEscaped: escaped, isInteger: false, start: UInt32(truncatingIfNeeded: start),
            length: UInt32(truncatingIfNeeded: cursor &- start), end: UInt32(truncatingIfNeeded: nodeCount &+ 1))
        nodeCount &+= 1
        return escaped ? ~0 : 1 &<< (UInt64(truncatingIfNeeded: cursor &- start) & 63)
    }

    private mutating func skipEscape() throws(JSONParseError) {
        position += 1
        guard position < count else { throw fail("unterminated escape sequence") }
        switch input[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            for _ in 0..<4 {
                guard position < count, JSONParser.hexValue(input[position]) != nil else {
                    throw fail("\\u must be followed by four hex digits")
                }
                position += 1
            }
        default:
            throw fail("invalid escape '\\\(Character(Unicode.Scalar(input[position])))'")
        }
    }

    /// Validates one multi-byte UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF).
    private mutating func skipUTF8Scalar() throws(JSONParseError) {
        let lead = input[position]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw fail("invalid UTF-8 byte \(describe(lead)) in a string")
        }
        guard position + length <= count else { throw fail("truncated UTF-8 sequence in a string") }
        let second = input[position + 1]
        guard second >= lower && second <= upper else { throw fail("invalid UTF-8 sequence in a string") }
        for offset in 2..<max(2, length) where input[position + offset] & 0xC0 != 0x80 {
            throw fail("invalid UTF-8 sequence in a string")
        }
        position += length
    }

    private mutating func parseNumber() throws(JSONParseError) {
        let start = position
        var integer = true
        if input[position] == UInt8(ascii: "-") { position += 1 }
        guard position < count, isDigit(input[position]) else { throw fail("a number needs digits after '-'") }
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if position < count && isDigit(input[position]) { throw fail("a number must not have a leading zero") }
        } else {
            while position < count && isDigit(input[position]) { position += 1 }
        }
        if position < count && input[position] == UInt8(ascii: ".") {
            integer = false
            position += 1
            guard position < count, isDigit(input[position]) else { throw fail("a number needs digits after '.'") }
            while position < count && isDigit(input[position]) { position += 1 }
        }
        if position < count && (input[position] == UInt8(ascii: "e") || input[position] == UInt8(ascii: "E")) {
            integer = false
            position += 1
            if position < count && (input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-")) {
                position += 1
            }
            guard position < count, isDigit(input[position]) else {
                throw fail("a number needs digits in its exponent")
            }
            while position < count && isDigit(input[position]) { position += 1 }
        }
        _ = try append(
            JSONNode(
                kind: .number, isEscaped: false, isInteger: integer, start: UInt32(start),
                length: UInt32(position - start), end: UInt32(nodeCount + 1)))
    }

    private mutating func parseLiteral(_ word: StaticString, kind: JSONKind) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        let start = position
        guard position + length <= count else { throw fail("unexpected end of input, expected '\(word)'") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
        for offset in 0..<length where input[position + offset] != expected[offset] {
            throw fail("invalid literal, expected '\(word)'")
        }
        position += length
        _ = try append(
            JSONNode(
                kind: kind, isEscaped: false, isInteger: false, start: UInt32(start), length: UInt32(length),
                end: UInt32(nodeCount + 1)))
    }

    // MARK: - Helpers

    @inline(__always) private mutating func skipWhitespace() {
        while position < count {
            let byte = input[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private func fail(_ message: String) -> JSONParseError {
        JSONParseError(offset: position, message: message)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
