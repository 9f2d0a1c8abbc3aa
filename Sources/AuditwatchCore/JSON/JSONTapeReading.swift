/// Reading a parsed JSON text through raw pointers to its node tape and bytes: the one
/// implementation behind `JSONDocument`'s readers and the evaluator's `EventView`.
protocol JSONTapeReading {
    var nodes: UnsafePointer<JSONNode> { get }
    var bytes: UnsafePointer<UInt8> { get }
}

extension JSONTapeReading {
    /// The kind of the node at `index`.
    @inline(__always)
    func kind(_ index: Int) -> JSONKind { nodes[index].kind }

    /// Index of the first node after the subtree at `index`.
    @inline(__always)
    func end(_ index: Int) -> Int { Int(nodes[index].end) }

    /// The raw bytes of a scalar node (string content without quotes, escapes not decoded).
    @inline(__always)
    func rawBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        return UnsafeBufferPointer(start: bytes + Int(node.start), count: Int(node.length))
    }

    /// Calls `body` with the UTF-8 of a scalar as text: a string decoded, a number's or a
    /// literal's own text. Only escaped strings pay for a copy.
    func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let node = nodes[index]
        if node.kind == .string && node.isEscaped {
            let decoded = JSONStringDecoder.decode(rawBytes(index))
            return try decoded.withUnsafeBufferPointer(body)
        }
        return try body(rawBytes(index))
    }

    /// A scalar's text as a `String` (strings decoded); nil for objects and arrays.
    func text(_ index: Int) -> String? {
        switch kind(index) {
        case .object, .array: return nil
        default: return withText(index) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// A number node's value as an integer, when it is one and fits.
    func int64(_ index: Int) -> Int64? {
        let node = nodes[index]
        guard node.kind == .number, node.isInteger else { return nil }
        var value: Int64 = 0
        var negative = false
        let raw = rawBytes(index)
        if raw.count <= 18 {
            // At most 18 digits stay under 10^18 < Int64.max: no overflow test per digit (every
            // event's `effective_at` comes this way).
            for byte in raw {
                if byte == UInt8(ascii: "-") { negative = true; continue }
                value = value &* 10 &+ Int64(byte &- UInt8(ascii: "0"))
            }
            return negative ? -value : value
        }
        for byte in raw {
            if byte == UInt8(ascii: "-") { negative = true; continue }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// A number node's value as a `Double`.
    func double(_ index: Int) -> Double? {
        guard kind(index) == .number else { return nil }
        if let integer = int64(index) { return Double(integer) }
        // A JSON number is a decimal literal of `NumericText`'s grammar, read without a `String`.
        return NumericText.value(rawBytes(index))
    }

    /// Whether the string node at `keyIndex` decodes to exactly `wanted`.
    @inline(__always)
    func keyEquals(_ keyIndex: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let node = nodes[keyIndex]
        if !node.isEscaped {
            guard Int(node.length) == wanted.count else { return false }
            return wanted.count == 0 || memoryEqual(bytes + Int(node.start), wanted.baseAddress!, wanted.count)
        }
        return JSONStringDecoder.decode(rawBytes(keyIndex)).elementsEqual(wanted)
    }

    /// Calls `body` on `node`, or on each scalar element when it is an array, until it returns true.
    func anyScalar(_ node: Int, _ body: (Int) -> Bool) -> Bool {
        guard kind(node) == .array else { return body(node) }
        var cursor = node + 1
        let end = end(node)
        while cursor < end {
            let elementKind = kind(cursor)
            if elementKind != .array && elementKind != .object && body(cursor) { return true }
            cursor = self.end(cursor)
        }
        return false
    }
}

/// A whole document's tape, for `JSONDocument`'s readers.
struct JSONTape: JSONTapeReading {
    let nodes: UnsafePointer<JSONNode>
    let bytes: UnsafePointer<UInt8>
}

extension JSONDocument {
    /// Calls `body` with pointer access to the tape; the view must not escape `body`.
    func withTape<R>(_ body: (JSONTape) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(JSONTape(nodes: storage.nodes, bytes: storage.bytes)) }
    }
}
