/// The `cidr` networks of one slot as binary prefix tries: walking an address's bits from the
/// root meets every network that holds it, whatever the number of networks. IPv4 networks sit
/// in a 32-bit trie, reached by IPv4 addresses and their IPv4-mapped IPv6 spelling (as
/// `IPNetwork.contains` decides); IPv6 networks in a 128-bit trie, reached by IPv6 addresses only.
struct NetworkTrie: Sendable {
    private struct Node: Sendable {
        var children: (Int32, Int32) = (-1, -1)
        var postings: [Int32] = []
    }

    private var v4: [Node] = [Node()]
    private var v6: [Node] = [Node()]

    var isEmpty: Bool { v4.count == 1 && v4[0].postings.isEmpty && v6.count == 1 && v6[0].postings.isEmpty }

    mutating func insert(_ network: IPNetwork, posting: Int32) {
        if network.isV4 {
            NetworkTrie.insert(&v4, Array(network.address[12...]), bits: network.prefix - 96, posting)
        } else {
            NetworkTrie.insert(&v6, network.address, bits: network.prefix, posting)
        }
    }

    private static func insert(_ nodes: inout [Node], _ bytes: [UInt8], bits: Int, _ posting: Int32) {
        var node = 0
        for bit in 0..<bits {
            let one = bytes[bit >> 3] & (0x80 >> UInt8(bit & 7)) != 0
            let next = one ? nodes[node].children.1 : nodes[node].children.0
            if next >= 0 {
                node = Int(next)
                continue
            }
            nodes.append(Node())
            if one {
                nodes[node].children.1 = Int32(nodes.count - 1)
            } else {
                nodes[node].children.0 = Int32(nodes.count - 1)
            }
            node = nodes.count - 1
        }
        nodes[node].postings.append(posting)
    }

    /// Calls `found` with the posting of every network that holds `address`.
    func visit(_ address: IPAddress, _ found: (Int32) -> Void) {
        if address.isV4Mapped { NetworkTrie.walk(v4, address, from: 96, found) }
        if !address.isV4 { NetworkTrie.walk(v6, address, from: 0, found) }
    }

    /// Walks `address`'s bits from bit `start` to the last (bit 127).
    private static func walk(_ nodes: [Node], _ address: IPAddress, from start: Int, _ found: (Int32) -> Void) {
        var node = 0
        for bit in start...128 {
            for posting in nodes[node].postings { found(posting) }
            guard bit < 128 else { return }
            let next = address.bit(bit) ? nodes[node].children.1 : nodes[node].children.0
            guard next >= 0 else { return }
            node = Int(next)
        }
    }
}
