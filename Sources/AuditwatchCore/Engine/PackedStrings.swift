/// Optional strings by number, their UTF-8 bytes in one growing buffer: a reference is 8 bytes
/// and the text costs its length, where a `String` costs 16 bytes plus, above 15 bytes, a heap
/// object of its own (80 bytes for a 26-byte email). Numbers never given a string read nil, so a
/// column that stays empty (no `value` field) costs nothing.
///
/// Bytes of strings replaced or cleared are garbage until the buffer is compacted, which happens
/// when they outweigh the live bytes (amortised O(1) per string).
struct PackedStrings: Sendable {
    /// The texts, back to back.
    private var bytes: [UInt8] = []
    /// Per number: `offset << 24 | length`; `PackedStrings.none` for nil; a length of
    /// `PackedStrings.long` means the text is in `long` (16 MiB or more).
    private var references: [UInt64] = []
    private var long: [Int: String] = [:]
    /// Bytes no reference points at.
    private var garbage = 0

    private static let none = UInt64.max
    private static let long = UInt64(0xFF_FFFF)

    init() {}

    /// The string at `number`, nil if none.
    subscript(number: Int) -> String? {
        guard number < references.count else { return nil }
        let reference = references[number]
        if reference == PackedStrings.none { return nil }
        let length = Int(reference & PackedStrings.long)
        if length == Int(PackedStrings.long) { return long[number] }
        let offset = Int(reference >> 24)
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + length]), as: UTF8.self)
        }
    }

    /// Whether `number` holds a string.
    func contains(_ number: Int) -> Bool {
        number < references.count && references[number] != PackedStrings.none
    }

    /// Whether the string at `number` is `text` as `String` compares (canonical equivalence): equal
    /// bytes are equal; different ASCII bytes are not; anything else is compared as strings.
    func equals(_ number: Int, _ text: String) -> Bool {
        guard number < references.count else { return false }
        let reference = references[number]
        if reference == PackedStrings.none { return false }
        let length = Int(reference & PackedStrings.long)
        if length == Int(PackedStrings.long) { return long[number] == text }
        let offset = Int(reference >> 24)
        let verdict: Bool? = bytes.withUnsafeBufferPointer { buffer -> Bool? in
            let stored = UnsafeBufferPointer(rebasing: buffer[offset..<offset + length])
            return text.utf8.withContiguousStorageIfAvailable { given -> Bool? in
                if given.count == length && (length == 0 || memoryEqual(stored, given)) { return true }
                return isASCII(stored) && isASCII(given) ? false : nil
            } ?? nil
        }
        return verdict ?? (self[number] == text)
    }

    /// Stores `text` at `number` (nil clears it).
    mutating func set(_ number: Int, _ text: String?) {
        if number >= references.count {
            guard text != nil else { return }
            references.append(contentsOf: repeatElement(PackedStrings.none, count: number + 1 - references.count))
        }
        release(number)
        guard var text else { return }
        let length = text.utf8.count
        if length >= Int(PackedStrings.long) {
            long[number] = text
            references[number] = PackedStrings.long
            return
        }
        references[number] = UInt64(bytes.count) << 24 | UInt64(length)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func release(_ number: Int) {
        let reference = references[number]
        guard reference != PackedStrings.none else { return }
        references[number] = PackedStrings.none
        let length = Int(reference & PackedStrings.long)
        if length == Int(PackedStrings.long) {
            long[number] = nil
            return
        }
        garbage += length
        if garbage > 4096 && garbage > bytes.count / 2 { compact() }
    }

    /// Copies the live texts into a fresh buffer, in number order.
    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(bytes.count - garbage)
        bytes.withUnsafeBufferPointer { old in
            for number in references.indices {
                let reference = references[number]
                let length = Int(reference & PackedStrings.long)
                guard reference != PackedStrings.none, length != Int(PackedStrings.long) else { continue }
                let offset = Int(reference >> 24)
                references[number] = UInt64(fresh.count) << 24 | UInt64(length)
                fresh.append(contentsOf: UnsafeBufferPointer(rebasing: old[offset..<offset + length]))
            }
        }
        bytes = fresh
        garbage = 0
    }
}

private func memoryEqual(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
    for index in 0..<first.count where first[index] != second[index] { return false }
    return true
}

private func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in bytes where byte >= 0x80 { return false }
    return true
}
