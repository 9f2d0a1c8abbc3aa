/// Deterministic alert ids: a 128-bit FNV-1a digest of the rule, the group and the events'
/// identity, so a replay of the same events names the same alerts and can be de-duplicated.
public enum AlertID {
    public static func make(ruleID: String, group: [GroupValue], anchorEventID: String) -> String {
        // The digest of `ruleID NUL field=value NUL … NUL anchor` (a missing value is U+0001),
        // fed piece by piece instead of joining strings first.
        var digest = StableDigest()
        digest.add(ruleID)
        for value in group {
            digest.add(0)
            digest.add(value.field)
            digest.add(UInt8(ascii: "="))
            if let text = value.value { digest.add(text) } else { digest.add(1) }
        }
        digest.add(0)
        digest.add(anchorEventID)
        return "aw_" + digest.hex
    }
}

/// A digest that is the same on every machine and run (unlike `Hasher`): two independent
/// 64-bit FNV-1a hashes, as 32 hex digits. Not cryptographic.
public struct StableDigest: Sendable {
    private var first: UInt64 = 0xcbf2_9ce4_8422_2325
    private var second: UInt64 = 0x8422_2325_cbf2_9ce4

    public init() {}

    /// Adds one byte.
    @inline(__always)
    public mutating func add(_ byte: UInt8) {
        first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        second = (second ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
    }

    /// Adds the UTF-8 of `text`.
    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in for byte in bytes { add(byte) } }
    }

    /// The digest as 32 lowercase hex digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for (index, value) in [first, second].enumerated() {
                for nibble in 0..<16 {
                    let shift = UInt64(60 - 4 * nibble)
                    buffer[index * 16 + nibble] = digits.utf8Start[Int((value >> shift) & 0xF)]
                }
            }
            return 32
        }
    }

    /// The digest of `text` as 32 hex digits.
    public static func hex(_ text: String) -> String {
        var digest = StableDigest()
        digest.add(text)
        return digest.hex
    }
}
