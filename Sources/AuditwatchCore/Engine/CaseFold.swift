/// Case folding for correlation group values and `value_count` values: `Eve@x` and `eve@x` are
/// one group, as in the reference (pySigma's SQL backend lowers group-by text).
enum CaseFold {
    /// `text` in lower case; the text itself (no copy) when it is all ASCII without an upper-case
    /// letter, the usual case for addresses, ids and emails.
    static func fold(_ text: String) -> String {
        let plain = text.utf8.withContiguousStorageIfAvailable(isFolded) ?? isFolded(Array(text.utf8))
        return plain ? text : text.lowercased()
    }

    /// Whether no byte is upper-case ASCII or non-ASCII (then lower-casing could change it).
    private static func isFolded(_ bytes: some Collection<UInt8>) -> Bool {
        for byte in bytes where byte &- 0x41 < 26 || byte >= 0x80 { return false }
        return true
    }
}
