/// Lists of indices in one block of memory, each read per event as a buffer: an `[[Int]]`
/// retained and released the inner array every time an event picked its list.
// @unchecked: written only while the rule set is built, read-only after (shared by the matching threads).
final class FrozenLists: @unchecked Sendable {
    /// List `l` is `values[starts[l]..<starts[l + 1]]`.
    private let starts: FrozenArray<Int32>
    private let values: FrozenArray<Int32>

    /// The lists, each in its own order.
    init(_ lists: [[Int]]) {
        var starts: [Int32] = [0]
        var values: [Int32] = []
        for list in lists {
            values += list.map { Int32($0) }
            starts.append(Int32(values.count))
        }
        self.starts = FrozenArray(starts)
        self.values = FrozenArray(values)
    }

    deinit {
        starts.deallocate()
        values.deallocate()
    }

    /// How many lists there are.
    var count: Int { starts.count - 1 }

    /// List `list`, valid while this object lives.
    @inline(__always) subscript(_ list: Int) -> UnsafeBufferPointer<Int32> {
        let start = Int(starts[list])
        return UnsafeBufferPointer(start: values.base + start, count: Int(starts[list + 1]) - start)
    }
}
