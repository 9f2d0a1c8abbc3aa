/// A regular expression matched by simulating its NFA over the input (Thompson's construction,
/// Pike's VM without captures): time is linear in the input for a given pattern, whatever the
/// input, so an attacker-controlled string cannot stall the engine.
///
/// Matching is an unanchored search, as pySigma defines `re`. Options follow Sigma's `re`
/// sub-modifiers: `i` ignores case, `m` makes `^`/`$` match at line breaks, `s` lets `.` match `\n`.
public struct LinearRegex: Sendable {
    enum Instruction: Sendable {
        case scalar(UInt32)
        case any
        case set(ScalarSet)
        case lineStart, lineEnd
        case split(Int, Int)
        case jump(Int)
        case match
    }

    public struct Options: Sendable, Equatable {
        public var ignoreCase = false
        public var multiline = false
        public var dotAll = false
        public init(ignoreCase: Bool = false, multiline: Bool = false, dotAll: Bool = false) {
            self.ignoreCase = ignoreCase
            self.multiline = multiline
            self.dotAll = dotAll
        }
    }

    let program: [Instruction]
    let options: Options
    public let pattern: String
    /// When the pattern is `^(lit|lit|…)…`, an input must start with one of these (lowercased
    /// under `i`): most inputs are rejected without running the automaton.
    let requiredPrefixes: [[UInt32]]?
    /// Compiled programs above this size are refused (a guard on `{n,m}` nesting).
    static let maxInstructions = 20_000

    public init(_ pattern: String, options: Options = Options()) throws(RegexError) {
        var parser = RegexParser(pattern)
        let tree = try parser.parse()
        var program: [Instruction] = []
        try LinearRegex.emit(tree, into: &program, ignoreCase: options.ignoreCase)
        program.append(.match)
        self.program = program
        self.options = options
        self.pattern = pattern
        requiredPrefixes = options.multiline ? nil : LinearRegex.prefixes(of: tree, ignoreCase: options.ignoreCase)
    }

    /// The literal alternatives a pattern anchored at the start must begin with, if it has them.
    private static func prefixes(of tree: RegexNode, ignoreCase: Bool) -> [[UInt32]]? {
        guard case .concat(let items) = tree, items.count >= 2, items[0] == .lineStart else { return nil }
        func literal(_ node: RegexNode) -> [UInt32]? {
            switch node {
            case .scalar(let scalar): return [ignoreCase ? lower(scalar) : scalar.value]
            case .concat(let parts):
                var result: [UInt32] = []
                for part in parts {
                    guard case .scalar(let scalar) = part else { return result.isEmpty ? nil : result }
                    result.append(ignoreCase ? lower(scalar) : scalar.value)
                }
                return result
            default: return nil
            }
        }
        switch items[1] {
        case .alternation(let branches):
            let literals = branches.map(literal)
            return literals.contains(where: { $0 == nil || $0!.isEmpty }) ? nil : literals.map { $0! }
        default:
            return literal(items[1]).map { [$0] }
        }
    }

    /// Whether the pattern matches anywhere in `text` (UTF-8).
    public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.count)
        if TextPattern.isASCII(text) {
            // ASCII needs no decoding: bytes are scalars.
            for byte in text { scalars.append(UInt32(options.ignoreCase ? TextPattern.lower(byte) : byte)) }
        } else {
            for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
                scalars.append(options.ignoreCase ? LinearRegex.lower(scalar) : scalar.value)
            }
        }
        if let requiredPrefixes, !requiredPrefixes.contains(where: { prefix in prefix.count <= scalars.count && scalars.starts(with: prefix) }) {
            return false
        }
        return run(scalars)
    }

    public func matches(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { matches(UnsafeBufferPointer($0)) }
    }

    private func run(_ input: [UInt32]) -> Bool {
        let count = program.count
        var current = ThreadList(capacity: count)
        var next = ThreadList(capacity: count)
        var generation = 1
        for position in 0...input.count {
            // Unanchored search: a new thread starts at every position.
            add(0, position, input, &current, generation)
            if current.matched { return true }
            guard position < input.count else { break }
            generation += 1
            next.clear()
            let scalar = input[position]
            for thread in current.items {
                switch program[thread] {
                case .scalar(let expected) where expected == scalar:
                    add(thread + 1, position + 1, input, &next, generation)
                case .any where options.dotAll || scalar != 10:
                    add(thread + 1, position + 1, input, &next, generation)
                case .set(let set) where set.contains(scalar):
                    add(thread + 1, position + 1, input, &next, generation)
                default:
                    break
                }
            }
            if next.matched { return true }
            swap(&current, &next)
        }
        return current.matched
    }

    /// Follows jumps, splits and assertions from `pc` and records the consuming instructions.
    private func add(_ pc: Int, _ position: Int, _ input: [UInt32], _ list: inout ThreadList, _ generation: Int) {
        var stack = [pc]
        while let pc = stack.popLast() {
            guard list.mark(pc, generation) else { continue }
            switch program[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack.append(second); stack.append(first)
            case .lineStart:
                if position == 0 || (options.multiline && input[position - 1] == 10) { stack.append(pc + 1) }
            case .lineEnd:
                if position == input.count || (options.multiline && input[position] == 10) { stack.append(pc + 1) }
            case .match: list.matched = true
            default: list.items.append(pc)
            }
        }
    }

    private static func emit(_ node: RegexNode, into program: inout [Instruction], ignoreCase: Bool) throws(RegexError) {
        guard program.count < maxInstructions else { throw RegexError(offset: 0, message: "regular expression is too large once repetitions are expanded") }
        switch node {
        case .empty: break
        case .scalar(let scalar): program.append(.scalar(ignoreCase ? lower(scalar) : scalar.value))
        case .any: program.append(.any)
        case .set(let set): program.append(.set(ignoreCase ? caseFolded(set) : set))
        case .lineStart: program.append(.lineStart)
        case .lineEnd: program.append(.lineEnd)
        case .concat(let items): for item in items { try emit(item, into: &program, ignoreCase: ignoreCase) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, -1))
                    try emit(branch, into: &program, ignoreCase: ignoreCase)
                    jumps.append(program.count)
                    program.append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch, into: &program, ignoreCase: ignoreCase)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeated(let inner, let minimum, let maximum):
            for _ in 0..<minimum { try emit(inner, into: &program, ignoreCase: ignoreCase) }
            if let maximum {
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, -1))
                    try emit(inner, into: &program, ignoreCase: ignoreCase)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let split = program.count
                program.append(.split(split + 1, -1))
                try emit(inner, into: &program, ignoreCase: ignoreCase)
                program.append(.jump(split))
                program[split] = .split(split + 1, program.count)
            }
        }
    }

    static func lower(_ scalar: Unicode.Scalar) -> UInt32 {
        if scalar.isASCII { return scalar.value &- 65 < 26 ? scalar.value | 0x20 : scalar.value }
        return scalar.properties.lowercaseMapping.unicodeScalars.first?.value ?? scalar.value
    }

    private static func caseFolded(_ set: ScalarSet) -> ScalarSet {
        var ranges = set.ranges
        for range in set.ranges {
            // Add the lowercase form of ASCII capitals; input is lowered before matching.
            let upper = max(range.lowerBound, 65)...min(range.upperBound, 90)
            if upper.lowerBound <= upper.upperBound { ranges.append((upper.lowerBound | 0x20)...(upper.upperBound | 0x20)) }
        }
        return ScalarSet(ranges: ranges, negated: set.negated)
    }
}

/// The set of NFA states active at one input position, de-duplicated by generation marks.
private struct ThreadList {
    var items: [Int] = []
    var marks: [Int]
    var matched = false

    init(capacity: Int) { marks = Array(repeating: 0, count: capacity) }

    mutating func mark(_ pc: Int, _ generation: Int) -> Bool {
        if marks[pc] == generation { return false }
        marks[pc] = generation
        return true
    }

    mutating func clear() {
        items.removeAll(keepingCapacity: true)
        matched = false
    }
}
