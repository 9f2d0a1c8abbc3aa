/// Facts about a parsed pattern that let the matcher skip work without changing its answer.
enum RegexAnalysis {
    /// Whether every match must start at the beginning of the text.
    static func anchoredAtStart(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(let assertion): return assertion == .textStart
        case .concat(let items): return items.first.map(anchoredAtStart) ?? false
        case .alternation(let branches): return branches.allSatisfy(anchoredAtStart)
        case .repeated(let inner, let minimum, _): return minimum > 0 && anchoredAtStart(inner)
        case .empty, .set: return false
        }
    }

    /// The scalars a match can begin with, and whether the node can match without consuming any
    /// (assertions count as consuming nothing, which only widens the set).
    static func first(_ node: RegexNode) -> (set: ScalarSet, nullable: Bool) {
        switch node {
        case .empty, .assertion: return (.empty, true)
        case .set(let set): return (set, false)
        case .concat(let items):
            var ranges: [ClosedRange<UInt32>] = []
            for item in items {
                let part = first(item)
                ranges += part.set.ranges
                if !part.nullable { return (ScalarSet(ranges), false) }
            }
            return (ScalarSet(ranges), true)
        case .alternation(let branches):
            var ranges: [ClosedRange<UInt32>] = []
            var nullable = false
            for branch in branches {
                let part = first(branch)
                ranges += part.set.ranges
                nullable = nullable || part.nullable
            }
            return (ScalarSet(ranges), nullable)
        case .repeated(let inner, let minimum, _):
            let part = first(inner)
            return (part.set, part.nullable || minimum == 0)
        }
    }
}

extension RegexAnalysis {
    /// A byte of a required literal: exact, or an ASCII letter in either case.
    struct LiteralByte: Sendable, Equatable {
        var byte: UInt8
        var anyCase: Bool
    }

    /// The longest run of bytes every match must contain (3 to 32 of them), so a text lacking
    /// them is refused by a byte scan without running the VM. Scalars that read back
    /// differently from invalid UTF-8 (U+FFFD) never join a run.
    static func requiredLiteral(_ node: RegexNode) -> [LiteralByte]? {
        var runs: [[LiteralByte]] = []
        var current: [LiteralByte] = []
        collect(node, &current, &runs)
        runs.append(current)
        guard let best = runs.max(by: { $0.count < $1.count }), best.count >= 3 else { return nil }
        return Array(best.prefix(32))
    }

    private static func collect(_ node: RegexNode, _ current: inout [LiteralByte], _ runs: inout [[LiteralByte]]) {
        func breakRun() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        switch node {
        case .empty, .assertion: break  // zero-width: the bytes around stay adjacent
        case .set(let set):
            if let value = set.single, value != 0xFFFD, let scalar = Unicode.Scalar(value) {
                current += String(scalar).utf8.map { LiteralByte(byte: $0, anyCase: false) }
            } else if let letter = asciiCasePair(set) {
                current.append(LiteralByte(byte: letter, anyCase: true))
            } else {
                breakRun()
            }
        case .concat(let items):
            for item in items { collect(item, &current, &runs) }
        case .repeated(let inner, let minimum, _) where minimum > 0:
            // The body's literals are required, but not next to what surrounds it.
            breakRun()
            collect(inner, &current, &runs)
            breakRun()
        case .repeated, .alternation:
            breakRun()
        }
    }

    /// The lowercase letter when `set` is exactly an ASCII letter in both cases.
    private static func asciiCasePair(_ set: ScalarSet) -> UInt8? {
        guard set.ranges.count == 2, set.ranges[0].count == 1, set.ranges[1].count == 1 else { return nil }
        let upper = set.ranges[0].lowerBound
        let lower = set.ranges[1].lowerBound
        guard upper >= 65, upper <= 90, lower == upper + 32 else { return nil }
        return UInt8(lower)
    }

    /// Whether `literal` occurs in `text`; at most 32 comparisons per byte.
    static func contains(_ literal: [LiteralByte], in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = literal.count
        guard text.count >= count else { return false }
        return literal.withUnsafeBufferPointer { pattern in
            let first = pattern[0]
            var start = 0
            while start <= text.count - count {
                let byte = text[start]
                if byte == first.byte || (first.anyCase && byte | 0x20 == first.byte) {
                    var offset = 1
                    while offset < count {
                        let expected = pattern[offset]
                        let actual = text[start + offset]
                        let same = actual == expected.byte || (expected.anyCase && actual | 0x20 == expected.byte)
                        guard same else { break }
                        offset += 1
                    }
                    if offset == count { return true }
                }
                start += 1
            }
            return false
        }
    }
}
