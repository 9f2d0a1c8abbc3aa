/// Deterministic alert ids: a 128-bit FNV-1a digest of the rule, the group and the events'
/// identity, so a replay of the same events names the same alerts and can be de-duplicated.
public enum AlertID {
    public static func make(ruleID: String, group: [GroupValue], anchorEventID: String) -> String {
        var parts = [ruleID]
        for value in group { parts.append(value.field + "=" + (value.value ?? "\u{1}")) }
        parts.append(anchorEventID)
        return "aw_" + digest(parts.joined(separator: "\u{0}"))
    }

    static func digest(_ text: String) -> String { StableDigest.hex(text) }
}

/// A digest that is the same on every machine and run (unlike `Hasher`): two independent
/// 64-bit FNV-1a hashes, as 32 hex digits. Not cryptographic.
public enum StableDigest {
    public static func hex(_ text: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
