/// An IPv4 or IPv6 address in the 16-byte form `cidr` compares (IPv4 stored IPv4-mapped,
/// `::ffff:a.b.c.d`), held as two words so a network test is two masks and two compares.
///
/// Parsing reads a dotted quad in place, with no allocation: the candidate index and every
/// `cidr` test parse an address per event (as `[UInt8]` arrays from a `String` this cost
/// about 1.5 k instructions an event on 1,000 generated rules, allocations apart).
struct IPAddress: Sendable, Hashable {
    /// Bytes 0..<8 and 8..<16 of the 16-byte form, the first byte most significant.
    let high: UInt64
    let low: UInt64
    /// Written as IPv4 (a dotted quad), not in an IPv6 spelling.
    let isV4: Bool

    /// The address whose 16-byte form is `bytes`.
    init(bytes: [UInt8], isV4: Bool) {
        precondition(bytes.count == 16, "an IP address has 16 bytes")
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        self.isV4 = isV4
    }

    init(high: UInt64, low: UInt64, isV4: Bool) {
        self.high = high
        self.low = low
        self.isV4 = isV4
    }

    /// The 16 bytes, the first most significant.
    var bytes: [UInt8] {
        (0..<16).map { index in UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(56 - 8 * (index % 8))) }
    }

    private init(v4 value: UInt32) {
        high = 0
        low = 0xFFFF << 32 | UInt64(value)
        isV4 = true
    }

    /// In `::ffff:0:0/96`: an IPv4 address, however it was written.
    var isV4Mapped: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// Bit `index` of the 128, the most significant first.
    @inline(__always)
    func bit(_ index: Int) -> Bool {
        index < 64 ? (high >> UInt64(63 - index)) & 1 != 0 : (low >> UInt64(127 - index)) & 1 != 0
    }

    /// Parses decoded text as `IPNetwork.parseAddress` does: a dotted quad here, in place; any
    /// other text with a colon (IPv6, rare in audit logs) through `parseAddress`.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        if let value = parseV4(text) { return IPAddress(v4: value) }
        guard text.contains(UInt8(ascii: ":")) else { return nil }
        return IPNetwork.parseAddress(Substring(String(decoding: text, as: UTF8.self))).map {
            IPAddress(bytes: $0.bytes, isV4: $0.isV4)
        }
    }

    /// Four dot-separated decimal parts of 1 to 3 digits, each at most 255, without leading
    /// zeros, as one number (the first part most significant).
    static func parseV4(_ text: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var result: UInt32 = 0
        var parts = 0
        var value: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                result = result << 8 | value
                parts += 1
                value = 0
                digits = 0
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10, digits < 3 else { return nil }
            if digits == 0 { leadingZero = digit == 0 } else if leadingZero { return nil }
            value = value * 10 + UInt32(digit)
            guard value <= 255 else { return nil }
            digits += 1
        }
        guard digits > 0, parts == 3 else { return nil }
        return result << 8 | value
    }
}
