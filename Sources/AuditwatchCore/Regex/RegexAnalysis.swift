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

extension RegexAnalysis {
    /// Literals for the rule set's candidate index: one of `literals` begins the text
    /// (`atStart`) or occurs in it, in every text the pattern matches.
    struct IndexLiterals: Sendable, Equatable {
        var literals: [[LiteralByte]]
        var atStart: Bool
    }

    /// The most telling literals for the candidate index, or nil when the pattern has none of
    /// at least 3 bytes: a pattern anchored at the text's start gives the texts it must begin
    /// with (`^user12[0-9]@corp\.example$`: `user12`, not the longer `@corp.example` every
    /// address holds); otherwise the required set whose shortest member is longest, where an
    /// alternation of literals counts (`(sqlmap|nikto)/`: one of `sqlmap`, `nikto`).
    static func indexLiterals(_ node: RegexNode) -> IndexLiterals? {
        if anchoredAtStart(node) {
            let prefixes = leading(node).strings
            if !prefixes.isEmpty, prefixes.allSatisfy({ $0.count >= 3 }) {
                return IndexLiterals(literals: prefixes, atStart: true)
            }
        }
        guard let set = best(node) else { return nil }
        return IndexLiterals(literals: set, atStart: false)
    }

    /// At most this many alternatives in one literal set (a product of alternations grows fast).
    static let maxAlternatives = 16

    /// The bytes of a one-scalar set (a letter in both ASCII cases: one any-case byte), or nil.
    private static func literalBytes(_ set: ScalarSet) -> [LiteralByte]? {
        if let value = set.single, value != 0xFFFD, let scalar = Unicode.Scalar(value) {
            return String(scalar).utf8.map { LiteralByte(byte: $0, anyCase: false) }
        }
        if let letter = asciiCasePair(set) { return [LiteralByte(byte: letter, anyCase: true)] }
        return nil
    }

    /// Texts one of which every match of `node` begins with; `complete`: the node matches exactly
    /// one of them (so what follows it continues them). Zero-width assertions add nothing.
    static func leading(_ node: RegexNode) -> (strings: [[LiteralByte]], complete: Bool) {
        switch node {
        case .empty, .assertion:
            return ([[]], true)
        case .set(let set):
            guard let bytes = literalBytes(set) else { return ([[]], false) }
            return ([bytes], true)
        case .concat(let items):
            var strings: [[LiteralByte]] = [[]]
            for item in items {
                let part = leading(item)
                let joined = strings.flatMap { head in part.strings.map { head + $0 } }
                if joined.count > maxAlternatives { return (strings, false) }
                strings = joined
                if !part.complete { return (strings, false) }
            }
            return (strings, true)
        case .alternation(let branches):
            var strings: [[LiteralByte]] = []
            var complete = true
            for branch in branches {
                let part = leading(branch)
                for string in part.strings where !strings.contains(string) { strings.append(string) }
                complete = complete && part.complete
            }
            if strings.count > maxAlternatives { return ([[]], false) }
            return (strings, complete)
        case .repeated(let inner, let minimum, let maximum):
            guard minimum > 0 else { return ([[]], false) }
            let part = leading(inner)
            return (part.strings, part.complete && minimum == 1 && maximum == 1)
        }
    }

    /// The best set of texts one of which every match of `node` contains: each run of adjacent
    /// literal bytes is such a set of one, and an alternation whose every branch has a set gives
    /// their union. Best: the longest shortest member, then the fewest members. Nil when no set's
    /// members all have 3 bytes or more.
    static func best(_ node: RegexNode) -> [[LiteralByte]]? {
        var sets: [[[LiteralByte]]] = []
        var current: [LiteralByte] = []
        gather(node, &current, &sets)
        if !current.isEmpty { sets.append([current]) }
        var chosen: [[LiteralByte]]?
        var chosenScore = (shortest: 2, count: 0)
        for set in sets {
            let trimmed = set.map { Array($0.prefix(32)) }
            let shortest = trimmed.map(\.count).min() ?? 0
            if shortest > chosenScore.shortest
                || (shortest == chosenScore.shortest && trimmed.count < chosenScore.count)
            {
                chosen = trimmed
                chosenScore = (shortest, trimmed.count)
            }
        }
        return chosen
    }

    private static func gather(_ node: RegexNode, _ current: inout [LiteralByte], _ sets: inout [[[LiteralByte]]]) {
        func breakRun() {
            if !current.isEmpty { sets.append([current]) }
            current = []
        }
        switch node {
        case .empty, .assertion: break
        case .set(let set):
            if let bytes = literalBytes(set) { current += bytes } else { breakRun() }
        case .concat(let items):
            for item in items { gather(item, &current, &sets) }
        case .repeated(let inner, let minimum, _) where minimum > 0:
            breakRun()
            gather(inner, &current, &sets)
            breakRun()
        case .repeated:
            breakRun()
        case .alternation(let branches):
            breakRun()
            var union: [[LiteralByte]] = []
            for branch in branches {
                guard let set = best(branch) else { return }
                for member in set where !union.contains(member) { union.append(member) }
            }
            if union.count <= maxAlternatives { sets.append(union) }
        }
    }
}
