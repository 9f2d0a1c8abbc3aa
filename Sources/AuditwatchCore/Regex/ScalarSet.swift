/// A set of Unicode scalar values: sorted, disjoint, non-adjacent ranges, plus a bitmap of the
/// ASCII members so the common case is one bit test.
struct ScalarSet: Sendable, Equatable {
    static let maxScalar: UInt32 = 0x10FFFF

    private(set) var ranges: [ClosedRange<UInt32>]
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    /// Any ranges, in any order, overlapping or not; reversed ranges are a programming error,
    /// so callers check bounds first.
    init(_ input: [ClosedRange<UInt32>]) {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
        for range in merged where range.lowerBound < 128 {
            for value in range.lowerBound...min(range.upperBound, 127) {
                if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
            }
        }
    }

    init(scalar value: UInt32) { self.init([value...value]) }

    static let empty = ScalarSet([])
    static let all = ScalarSet([0...maxScalar])

    var isEmpty: Bool { ranges.isEmpty }

    /// The ASCII members: bit n of `low` is scalar n, bit n of `high` scalar 64 + n.
    var asciiBitmap: (low: UInt64, high: UInt64) { (asciiLow, asciiHigh) }

    /// The single member, when the set has exactly one.
    var single: UInt32? {
        guard ranges.count == 1, ranges[0].lowerBound == ranges[0].upperBound else { return nil }
        return ranges[0].lowerBound
    }

    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
        if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
        // Binary search over the ranges above ASCII.
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound {
                high = middle
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    func union(_ other: ScalarSet) -> ScalarSet { ScalarSet(ranges + other.ranges) }

    /// Every scalar not in the set.
    func inverted() -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
        }
        if next <= ScalarSet.maxScalar && !(ranges.last?.upperBound == ScalarSet.maxScalar) {
            result.append(next...ScalarSet.maxScalar)
        }
        return ScalarSet(result)
    }

    /// The set closed under case-insensitive equivalence (see `UnicodeTables.caseClasses`).
    func caseClosed() -> ScalarSet {
        var extra: [ClosedRange<UInt32>] = []
        for members in UnicodeTables.caseClasses where members.contains(where: contains) {
            for member in members where !contains(member) { extra.append(member...member) }
        }
        return extra.isEmpty ? self : ScalarSet(ranges + extra)
    }
}
