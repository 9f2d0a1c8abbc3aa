/// A regular expression matched by simulating its NFA over the input (Thompson's construction,
/// Pike's VM without captures): time is O(input × program) whatever the input, so an
/// attacker-controlled string cannot stall the engine. The syntax and its limits are in
/// `docs/regex.md`.
///
/// Matching is an unanchored search, as pySigma defines `re`. Options follow Sigma's `re`
/// sub-modifiers: `i` ignores case, `m` makes `^`/`$` match at line breaks, `s` lets `.` match
/// `\n`; inline flags (`(?i)`, `(?s:…)`) override them inside the pattern.
///
/// A match allocates nothing: the UTF-8 input is decoded as it is read, and the thread lists
/// live in a scratch buffer owned by the regex and reused (a second thread that finds it busy
/// builds its own). `bench/regex` counts heap allocations while matching to check this.
public struct LinearRegex: Sendable {
    enum Instruction: Sendable {
        case scalar(UInt32)
        /// A set: its ASCII members as a bitmap (the common case, with no lookup), the rest in
        /// `sets[index]`.
        case set(low: UInt64, high: UInt64, index: Int)
        case assertion(RegexAssertion)
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

    /// Compiled programs above this size are refused (a guard on nested `{n,m}`).
    static let maxInstructions = 20_000

    let program: [Instruction]
    let sets: [ScalarSet]
    public let pattern: String
    /// Every match starts at the beginning of the text (`^` without `m`, or `\A`).
    let anchoredAtStart: Bool
    /// The scalars a match can start with; nil when the pattern can match the empty string.
    let firstScalars: ScalarSet?
    /// Bytes every match contains, checked by a scan before the VM runs.
    let requiredLiteral: [RegexAnalysis.LiteralByte]?
    /// The most telling literals for a rule set's candidate index (`RegexAnalysis.indexLiterals`).
    let indexLiterals: RegexAnalysis.IndexLiterals?
    /// The automaton that reads ASCII text without line breaks in place of the VM; nil when the
    /// program has none (`RegexDFA`).
    let automaton: RegexDFA?
    private let word: ScalarSet
    private let scratch: RegexScratchPool

    public init(_ pattern: String, options: Options = Options()) throws(RegexError) {
        let flags = RegexFlags(ignoreCase: options.ignoreCase, multiline: options.multiline, dotAll: options.dotAll)
        var parser = RegexParser(pattern, flags: flags)
        let tree = try parser.parse()
        var builder = RegexProgramBuilder()
        try builder.emit(tree)
        builder.program.append(.match)
        program = builder.program
        sets = builder.sets
        self.pattern = pattern
        anchoredAtStart = RegexAnalysis.anchoredAtStart(tree)
        let first = RegexAnalysis.first(tree)
        firstScalars = first.nullable ? nil : first.set
        requiredLiteral = RegexAnalysis.requiredLiteral(tree)
        indexLiterals = RegexAnalysis.indexLiterals(tree)
        word = builder.usesWordBoundary ? UnicodeTables.word : .empty
        scratch = RegexScratchPool(size: builder.program.count)
        automaton = RegexDFA(program: builder.program, anchoredAtStart: anchoredAtStart)
    }

    /// Whether the pattern matches anywhere in `text` (UTF-8; invalid bytes read as U+FFFD).
    public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if let requiredLiteral, !RegexAnalysis.contains(requiredLiteral, in: text) { return false }
        guard let automaton else { return scratch.with { buffers in run(text, buffers, from: 0, pending: []) } }
        switch automaton.run(text) {
        case .matched: return true
        case .failed: return false
        case .handOver(let position, let state):
            let pending = automaton.pending[state]
            return scratch.with { buffers in run(text, buffers, from: position, pending: pending) }
        }
    }

    /// The VM alone, without the automaton: what the automaton is tested against.
    func matchesOnVM(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if let requiredLiteral, !RegexAnalysis.contains(requiredLiteral, in: text) { return false }
        return scratch.with { buffers in run(text, buffers, from: 0, pending: []) }
    }

    public func matches(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { matches($0) }
    }

    private static let none: UInt32 = .max

    /// Simulates the program from `start`, where `pending` are the threads to follow first (the
    /// automaton's state there; the bytes before `start` are ASCII, as the automaton reads only those).
    private func run(
        _ text: UnsafeBufferPointer<UInt8>, _ buffers: RegexScratch, from start: Int, pending: [Int32]
    ) -> Bool {
        program.withUnsafeBufferPointer { code in
            var current = buffers.current
            var next = buffers.next
            var currentCount = 0
            var position = start
            var previous = start > 0 ? UInt32(text[start - 1]) : LinearRegex.none
            var (scalar, length) = UTF8Reading.scalar(text, at: start)
            var generation = buffers.nextGeneration()
            if !pending.isEmpty {
                let context = RegexContext(
                    previous: previous, scalar: scalar, lastScalar: position + length == text.count)
                for pc in pending where add(Int(pc), context, code, buffers, current, &currentCount, generation) {
                    return true
                }
            }
            while true {
                let context = RegexContext(
                    previous: previous, scalar: scalar,
                    lastScalar: position + length == text.count)
                if currentCount == 0 {
                    if anchoredAtStart && position > 0 { return false }
                    if let firstScalars, scalar == LinearRegex.none || !firstScalars.contains(scalar) {
                        // No thread is alive and none can start here: skip ahead without the VM.
                        if scalar == LinearRegex.none || anchoredAtStart { return false }
                        previous = scalar
                        position += length
                        (scalar, length) = UTF8Reading.scalar(text, at: position)
                        continue
                    }
                }
                if !anchoredAtStart || position == 0 {
                    if add(0, context, code, buffers, current, &currentCount, generation) { return true }
                }
                guard scalar != LinearRegex.none else { return false }
                let nextPosition = position + length
                let (following, followingLength) = UTF8Reading.scalar(text, at: nextPosition)
                let nextContext = RegexContext(
                    previous: scalar, scalar: following,
                    lastScalar: nextPosition + followingLength == text.count)
                generation = buffers.nextGeneration()
                var nextCount = 0
                for slot in 0..<currentCount {
                    let pc = Int(current[slot])
                    let consumes: Bool
                    switch code[pc] {
                    case .scalar(let expected): consumes = expected == scalar
                    case .set(let low, let high, let index):
                        if scalar < 64 {
                            consumes = low & (1 << UInt64(scalar)) != 0
                        } else if scalar < 128 {
                            consumes = high & (1 << UInt64(scalar - 64)) != 0
                        } else {
                            consumes = sets[index].contains(scalar)
                        }
                    default: consumes = false
                    }
                    if consumes && add(pc + 1, nextContext, code, buffers, next, &nextCount, generation) { return true }
                }
                swap(&current, &next)
                currentCount = nextCount
                previous = scalar
                position = nextPosition
                (scalar, length) = (following, followingLength)
            }
        }
    }

    /// Follows jumps, splits and assertions from `start`, records the consuming instructions in
    /// `list`, and says whether `match` was reached.
    @inline(__always)
    private func add(
        _ start: Int, _ context: RegexContext, _ code: UnsafeBufferPointer<Instruction>,
        _ buffers: RegexScratch, _ list: UnsafeMutablePointer<Int32>, _ count: inout Int,
        _ generation: UInt32
    ) -> Bool {
        let marks = buffers.marks
        let stack = buffers.stack
        var depth = 0
        func push(_ pc: Int) {
            if marks[pc] != generation {
                marks[pc] = generation
                stack[depth] = Int32(pc)
                depth += 1
            }
        }
        push(start)
        while depth > 0 {
            depth -= 1
            let pc = Int(stack[depth])
            switch code[pc] {
            case .match: return true
            case .jump(let target): push(target)
            case .split(let first, let second): push(second); push(first)
            case .assertion(let assertion): if holds(assertion, context) { push(pc + 1) }
            case .scalar, .set:
                list[count] = Int32(pc)
                count += 1
            }
        }
        return false
    }

    @inline(__always)
    private func holds(_ assertion: RegexAssertion, _ context: RegexContext) -> Bool {
        switch assertion {
        case .textStart: return context.previous == LinearRegex.none
        case .textEnd: return context.scalar == LinearRegex.none
        case .lineStart: return context.previous == LinearRegex.none || context.previous == 10
        case .lineEnd: return context.scalar == LinearRegex.none || context.scalar == 10
        case .endOrFinalNewline:
            return context.scalar == LinearRegex.none || (context.scalar == 10 && context.lastScalar)
        case .wordBoundary: return isWord(context.previous) != isWord(context.scalar)
        case .notWordBoundary: return isWord(context.previous) == isWord(context.scalar)
        }
    }

    @inline(__always)
    private func isWord(_ scalar: UInt32) -> Bool { scalar != LinearRegex.none && word.contains(scalar) }
}

/// What the assertions see at a position: the scalars on each side (`none` past an end), and
/// whether the one ahead is the text's last.
struct RegexContext {
    var previous: UInt32
    var scalar: UInt32
    var lastScalar: Bool
}
