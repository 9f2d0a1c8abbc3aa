extension JSONDocument {
    /// Calls `body` with the raw text bytes of a scalar node (a string's content without quotes,
    /// escapes not decoded; a number's text; a literal's word).
    public func withRawBytes<R>(
        _ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        precondition(index >= 0 && index < nodes.count, "node index out of range")
        return try withTape { try body($0.rawBytes(index)) }
    }

    /// Calls `body` with the UTF-8 of a scalar as text: a string decoded, a number's or a
    /// literal's own text. Only escaped strings pay for a copy.
    public func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < nodes.count, "node index out of range")
        return try withTape { try $0.withText(index, body) }
    }

    /// A scalar's text as a `String` (strings decoded); nil for objects and arrays.
    public func text(_ index: Int) -> String? {
        precondition(index >= 0 && index < nodes.count, "node index out of range")
        return withTape { $0.text(index) }
    }

    /// The decoded bytes of a string node.
    public func decodedStringBytes(_ index: Int) -> [UInt8] {
        withRawBytes(index) { JSONStringDecoder.decode($0) }
    }

    /// A number node's value as an integer, when it is one and fits.
    public func int64(_ index: Int) -> Int64? {
        precondition(index >= 0 && index < nodes.count, "node index out of range")
        return withTape { $0.int64(index) }
    }

    /// A number node's value as a `Double`.
    public func double(_ index: Int) -> Double? {
        precondition(index >= 0 && index < nodes.count, "node index out of range")
        return withTape { $0.double(index) }
    }

    /// The value of `key` in the object at `index`, the first one when a key repeats.
    public func member(_ index: Int, _ key: String) -> Int? {
        guard nodes[index].kind == .object else { return nil }
        var key = key
        return key.withUTF8 { wanted in
            var cursor = index + 1
            let end = Int(nodes[index].end)
            while cursor < end {
                let valueIndex = cursor + 1
                if keyEquals(cursor, wanted) { return valueIndex }
                cursor = Int(nodes[valueIndex].end)
            }
            return nil
        }
    }

    /// Whether the node at `index` is a string that decodes to exactly `text`.
    public func stringEquals(_ index: Int, _ text: String) -> Bool {
        guard nodes[index].kind == .string else { return false }
        var text = text
        return text.withUTF8 { keyEquals(index, $0) }
    }

    /// The (key, value) node indices of the object at `index`, in document order.
    public func members(_ index: Int) -> [(key: Int, value: Int)] {
        guard nodes[index].kind == .object else { return [] }
        var result: [(key: Int, value: Int)] = []
        result.reserveCapacity(Int(nodes[index].length))
        var cursor = index + 1
        let end = Int(nodes[index].end)
        while cursor < end {
            result.append((cursor, cursor + 1))
            cursor = Int(nodes[cursor + 1].end)
        }
        return result
    }

    /// The element node indices of the array at `index`.
    public func elements(_ index: Int) -> [Int] {
        guard nodes[index].kind == .array else { return [] }
        var result: [Int] = []
        result.reserveCapacity(Int(nodes[index].length))
        var cursor = index + 1
        let end = Int(nodes[index].end)
        while cursor < end {
            result.append(cursor)
            cursor = Int(nodes[cursor].end)
        }
        return result
    }

    /// Whether the string node at `keyIndex` decodes to exactly `wanted`.
    public func keyEquals(_ keyIndex: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        precondition(keyIndex >= 0 && keyIndex < nodes.count, "node index out of range")
        return withTape { $0.keyEquals(keyIndex, wanted) }
    }

    /// Line (1-based) and column (1-based, in bytes) of a byte offset, for error messages.
    public static func lineAndColumn(of offset: Int, in text: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, text.count) where text[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return (line, offset - lineStart + 1)
    }
}

@inlinable @inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    // The tail as one word that overlaps the last full one (or two half words for 4 to 7
    // bytes), not byte by byte: most keys compared are 4 to 12 bytes long.
    if count >= 8 {
        var index = 0
        while index + 8 < count {
            let left = UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
            let right = UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self)
            if left != right { return false }
            index += 8
        }
        return UnsafeRawPointer(a + count - 8).loadUnaligned(as: UInt64.self)
            == UnsafeRawPointer(b + count - 8).loadUnaligned(as: UInt64.self)
    }
    if count >= 4 {
        return UnsafeRawPointer(a).loadUnaligned(as: UInt32.self) == UnsafeRawPointer(b).loadUnaligned(as: UInt32.self)
            && UnsafeRawPointer(a + count - 4).loadUnaligned(as: UInt32.self)
                == UnsafeRawPointer(b + count - 4).loadUnaligned(as: UInt32.self)
    }
    var index = 0
    while index < count {
        if a[index] != b[index] { return false }
        index += 1
    }
    return true
}
