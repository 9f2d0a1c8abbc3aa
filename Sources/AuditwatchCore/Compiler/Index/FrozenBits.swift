/// One bitset of rule indices per candidate list, in one block of memory: whether a rule found
/// through its literals belongs to the list of the event's type.
// @unchecked: written only while the rule set is built, read-only after (shared by the matching threads).
final class FrozenBits: @unchecked Sendable {
    private let words: FrozenArray<UInt64>
    private let stride: Int

    init(_ lists: [[Int]], count: Int) {
        stride = (count + 63) / 64
        var words = [UInt64](repeating: 0, count: max(stride * lists.count, 1))
        for (number, list) in lists.enumerated() {
            for index in list { words[number * stride + index / 64] |= 1 << UInt64(index % 64) }
        }
        self.words = FrozenArray(words)
    }

    deinit { words.deallocate() }

    @inline(__always) func contains(_ list: Int, _ index: Int) -> Bool {
        words[list * stride + index >> 6] & (1 << UInt64(index & 63)) != 0
    }
}
