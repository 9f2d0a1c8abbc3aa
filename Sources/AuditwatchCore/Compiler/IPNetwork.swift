/// An IPv4 or IPv6 network for the `cidr` modifier, and IP address parsing.
///
/// Two words and three small fields: a `ValuePredicate` holds one inline and stays small.
struct IPNetwork: Sendable, Hashable {
    /// The network's address with the bits past the prefix cleared; IPv4 networks are stored
    /// IPv4-mapped (::ffff:a.b.c.d) so one compare serves both. Its `isV4`: written as an IPv4
    /// network, which holds IPv4 addresses (and their IPv4-mapped IPv6 spelling) only.
    private let network: IPAddress
    /// Prefix length in bits over the 16-byte form.
    private let prefixBits: UInt8
    /// The address as written has bits set past the prefix (`10.0.0.1/8`).
    let hasHostBits: Bool

    /// Written as an IPv4 network.
    var isV4: Bool { network.isV4 }
    /// Prefix length in bits over the 16-byte form.
    var prefix: Int { Int(prefixBits) }
    /// The 16 bytes of the network's address (bits past the prefix cleared).
    var address: [UInt8] { network.bytes }

    /// Parses `192.0.2.0/24`, `2001:db8::/32`, or a bare address (a /32 or /128 network).
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPNetwork.parseAddress(Substring(parts[0])) else { return nil }
        let isV4 = address.isV4
        let maxPrefix = isV4 ? 32 : 128
        var prefix = maxPrefix
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0, value <= maxPrefix else { return nil }
            prefix = value
        }
        let bits = isV4 ? prefix + 96 : prefix
        let written = IPAddress(bytes: address.bytes, isV4: isV4)
        let mask = IPNetwork.mask(bits)
        network = IPAddress(high: written.high & mask.high, low: written.low & mask.low, isV4: isV4)
        prefixBits = UInt8(bits)
        hasHostBits = network != written
    }

    /// Whether the address is in the network. An IPv6 network never holds an IPv4 address
    /// (`::/0` and `::ffff:0:0/96` do not match `192.0.2.1`), as Python's `ipaddress` and Go's
    /// `netip` decide; an IPv4 network does hold the IPv4-mapped spelling `::ffff:192.0.2.1` of
    /// its addresses, the same host (RFC 4291 2.5.5.2), so a block list cannot be evaded by it.
    func contains(_ address: IPAddress) -> Bool {
        if !isV4 && address.isV4 { return false }
        let mask = IPNetwork.mask(Int(prefixBits))
        return address.high & mask.high == network.high && address.low & mask.low == network.low
    }

    /// The first `bits` of 128 set, over the two words of an `IPAddress`.
    @inline(__always)
    private static func mask(_ bits: Int) -> (high: UInt64, low: UInt64) {
        (
            bits >= 64 ? ~0 : bits == 0 ? 0 : ~0 << UInt64(64 - bits),
            bits >= 128 ? ~0 : bits <= 64 ? 0 : ~0 << UInt64(128 - bits)
        )
    }

    /// The 16-byte form of an IPv4 or IPv6 address (zone ids are not accepted).
    static func parseAddress(_ text: Substring) -> (bytes: [UInt8], isV4: Bool)? {
        if let v4 = parseV4(text) { return ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + v4, true) }
        return parseV6(text).map { ($0, false) }
    }

    /// A dotted quad's four bytes (`IPAddress.parseV4`, the one reading of IPv4 text).
    private static func parseV4(_ text: Substring) -> [UInt8]? {
        var copy = String(text)
        guard let value = copy.withUTF8({ IPAddress.parseV4($0) }) else { return nil }
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    private static func parseV6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parseV4(piece) {
                    result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

private extension Substring {
    /// Splits at the first "::" only; a second "::" yields three parts (invalid).
    func components(separatedByDoubleColon _: Void) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRangeOfDoubleColon() {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }

    func firstRangeOfDoubleColon() -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":" && next < endIndex && self[next] == ":" { return index..<self.index(after: next) }
            index = next
        }
        return nil
    }
}
