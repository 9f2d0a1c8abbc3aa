/// The leading segments the rule set's slot paths share, numbered once per rule set, so one
/// event's slot table can resolve `actor.session` once for `actor.session.ip_address`,
/// `actor.session.user.email` and every other path below it (see `PathSlots`).
///
/// A prefix is a run of a path's first segments, short of the whole path: `actor.session.ja3`
/// has the prefixes `actor` and `actor.session`. Two paths share a prefix number when their
/// first segments are the same names with the same brackets. The table is flat memory the
/// rule set owns (read per event without reference counting; immutable after init).
final class PathPrefixes: @unchecked Sendable {
    /// How many distinct prefixes the slot paths have.
    let count: Int
    /// The numbers by slot, as plain pointers a slot table copies without reference counting.
    let table: Table

    /// Chains of prefix numbers: chain `c` is `ids[ranges[c]..<ranges[c + 1]]`, shortest first
    /// (entry `j` is the prefix of `j + 1` segments). Chain `s` is slot `s`'s own path; the
    /// alternatives of a derived field (`actor.email`: `actor.session.user.email`, …) follow,
    /// alternative `i` of slot `s` at chain `alternatives[s] + i`.
    /// `@unchecked Sendable`: the memory is written once, in `init`, and only read after.
    struct Table: @unchecked Sendable {
        let ranges: UnsafeMutablePointer<Int32>
        let ids: UnsafeMutablePointer<Int32>
        let alternatives: UnsafeMutablePointer<Int32>

        /// The prefix numbers of chain `chain`, shortest first.
        @inline(__always)
        func chain(_ chain: Int) -> UnsafeBufferPointer<Int32> {
            let start = Int(ranges[chain])
            return UnsafeBufferPointer(start: ids + start, count: Int(ranges[chain + 1]) - start)
        }
    }

    /// Numbers the prefixes of `slotPaths` (by slot) and of their derived alternatives. `type`
    /// has none: the event holds its node.
    init(_ slotPaths: [FieldPath]) {
        var numbers: [[FieldPath.Segment]: Int32] = [:]
        var flatRanges: [Int32] = [0]
        var flatIDs: [Int32] = []
        func addChain(_ path: FieldPath) {
            if !path.isType {
                for length in stride(from: 1, to: path.segments.count, by: 1) {
                    let prefix = Array(path.segments[0..<length])
                    let number = numbers[prefix] ?? Int32(numbers.count)
                    numbers[prefix] = number
                    flatIDs.append(number)
                }
            }
            flatRanges.append(Int32(flatIDs.count))
        }
        slotPaths.forEach(addChain)
        var alternatives: [Int32] = []
        for path in slotPaths {
            alternatives.append(Int32(flatRanges.count - 1))
            if case .alternatives(let paths) = path.derived { paths.forEach(addChain) }
        }
        count = numbers.count
        table = Table(
            ranges: PathPrefixes.copy(flatRanges), ids: PathPrefixes.copy(flatIDs),
            alternatives: PathPrefixes.copy(alternatives))
    }

    deinit {
        table.ranges.deallocate()
        table.ids.deallocate()
        table.alternatives.deallocate()
    }

    private static func copy(_ values: [Int32]) -> UnsafeMutablePointer<Int32> {
        let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: max(values.count, 1))
        pointer.initialize(from: values, count: values.count)
        return pointer
    }
}
