/// Decodes one scalar of UTF-8 in place, so matching needs no decoded copy of the text.
enum UTF8Reading {
    /// The scalar at `offset` and its length in bytes; `(UInt32.max, 0)` at the end. Invalid or
    /// truncated sequences read as U+FFFD, one byte at a time.
    @inline(__always)
    static func scalar(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> (UInt32, Int) {
        guard offset < text.count else { return (.max, 0) }
        let lead = UInt32(text[offset])
        if lead < 0x80 { return (lead, 1) }
        let remaining = text.count - offset
        @inline(__always) func continuation(_ index: Int) -> UInt32? {
            let byte = UInt32(text[offset + index])
            return byte & 0xC0 == 0x80 ? byte & 0x3F : nil
        }
        switch lead {
        case 0xC2...0xDF:
            guard remaining >= 2, let second = continuation(1) else { break }
            return ((lead & 0x1F) << 6 | second, 2)
        case 0xE0...0xEF:
            guard remaining >= 3, let second = continuation(1), let third = continuation(2) else { break }
            let value = (lead & 0x0F) << 12 | second << 6 | third
            guard value >= 0x800, !(0xD800...0xDFFF).contains(value) else { break }
            return (value, 3)
        case 0xF0...0xF4:
            guard remaining >= 4, let second = continuation(1), let third = continuation(2),
                let fourth = continuation(3)
            else { break }
            let value = (lead & 0x07) << 18 | second << 12 | third << 6 | fourth
            guard value >= 0x10000, value <= 0x10FFFF else { break }
            return (value, 4)
        default: break
        }
        return (0xFFFD, 1)
    }
}
