/// A deterministic automaton over a regex's Pike-VM program, built once when the regex is
/// compiled, for the text the rules mostly see: ASCII without line breaks (emails, key ids,
/// project names, user agents).
///
/// A state is the set of program counters the VM would follow at the next position (its
/// threads before their jumps, splits and assertions are followed), so the VM can take over
/// from any state. The automaton reads bytes below 128 other than `\n`; on any other byte
/// `LinearRegex` hands the state's threads to the VM, which sees the real context there (a line
/// break, non-ASCII case folding). That keeps one semantics: the automaton is a cache of the VM's
/// steps where every assertion's answer is already known.
///
/// The end of a text the automaton read to the last byte is such a place too: the previous byte
/// is ASCII and not `\n`, so `$`, `\z` and `\Z` hold and `^`/`\A` hold only in the start state
/// (the empty text). Each state keeps that answer, so a text of ASCII without line breaks — what
/// an anchored rule pattern like `^key_svc12[0-9]{2}$` sees — is answered without the VM.
///
/// Without a line break or the text's edges in reach, the assertions are decided by whether
/// the position is the text's start alone: `^`/`\A` (and `^` under `m`) hold only there, the
/// end assertions never hold. Word boundaries would also need the previous byte's class, so
/// programs with `\b`/`\B` get no automaton.
///
/// The size is bounded: a program whose automaton needs more than `maxStates` states (a
/// pattern like `(a|b)*a(a|b){12}`) gets none and runs on the VM, whose time is linear anyway.
struct RegexDFA: Sendable {
    /// States above this count make the build give up (about 64 KiB of table at 128 classes).
    static let maxStates = 256
    /// Programs above this size are not tried: building would cost more than it saves.
    static let maxProgram = 4_096
    /// The transition to the state that can never match (anchored, with no thread left).
    static let dead: UInt16 = .max
    /// The state at the text's first byte: no thread yet, and `^` holds.
    static let start: UInt16 = 0

    /// For each byte below 128, its class: bytes in one class are consumed by the same
    /// instructions, so they share every transition.
    let classOf: [UInt8]
    let classCount: Int
    /// `transitions[state * classCount + class]`: the next state, or `dead`.
    let transitions: [UInt16]
    /// Whether a state's threads reach `match` at a position whose byte is ASCII, not `\n`.
    let accepting: [Bool]
    /// Whether a state's threads reach `match` at the end of a text whose last byte (if any) is
    /// ASCII and not `\n`: the answer when the automaton reads the whole text.
    let acceptingAtEnd: [Bool]
    /// Each state's threads, for the VM to continue from.
    let pending: [[Int32]]
    /// The table `run` reads: `runTable[row + runClass[byte]]`, where `row` is a state times
    /// `runStride`, is the next state's row, or `stop` (the byte is `\n` or not ASCII: the VM
    /// reads it), `match` (the state accepts) or `dead`. One load and one compare per byte,
    /// where the three tables cost two more tests (14 instructions per byte with the loop).
    let runTable: [UInt16]
    /// Every byte's class; `\n` and the bytes from 128 have class `classCount`.
    let runClass: [UInt8]
    let runStride: Int
    static let stop: UInt16 = .max - 2
    static let match: UInt16 = .max - 1

    /// Builds the automaton, or nil when the program uses word boundaries or needs too many
    /// states.
    init?(program: [LinearRegex.Instruction], anchoredAtStart: Bool) {
        guard program.count <= RegexDFA.maxProgram else { return nil }
        for instruction in program {
            if case .assertion(let assertion) = instruction,
                assertion == .wordBoundary || assertion == .notWordBoundary
            {
                return nil
            }
        }
        let (classOf, representatives) = RegexDFA.byteClasses(program)
        var builder = Builder(program: program, anchoredAtStart: anchoredAtStart)
        var transitions: [UInt16] = []
        var accepting: [Bool] = []
        var acceptingAtEnd: [Bool] = []
        var state = 0
        // States are numbered in the order they are found, so walking them in order is a
        // breadth-first build; `builder.sets` grows while it runs.
        while state < builder.sets.count {
            let atStart = state == Int(RegexDFA.start)
            let (threads, matched) = builder.closure(builder.sets[state], atStart: atStart, atEnd: false)
            accepting.append(matched)
            acceptingAtEnd.append(builder.closure(builder.sets[state], atStart: atStart, atEnd: true).matched)
            for representative in representatives {
                if matched {
                    // Arriving here already answers the search; the row is never read.
                    transitions.append(RegexDFA.dead)
                    continue
                }
                guard let next = builder.step(threads, on: representative) else { return nil }
                transitions.append(next)
            }
            state += 1
        }
        self.classOf = classOf
        classCount = representatives.count
        self.transitions = transitions
        self.accepting = accepting
        self.acceptingAtEnd = acceptingAtEnd
        pending = builder.sets
        // maxStates × (128 classes + stop) rows stay below the markers.
        runStride = classCount + 1
        var runTable = [UInt16](repeating: RegexDFA.stop, count: accepting.count * runStride)
        for state in accepting.indices {
            for byteClass in 0..<classCount {
                let next = transitions[state * classCount + byteClass]
                runTable[state * runStride + byteClass] =
                    accepting[state] ? RegexDFA.match : next == RegexDFA.dead ? next : next * UInt16(runStride)
            }
        }
        self.runTable = runTable
        runClass = (0..<256).map { byte in byte < 128 && byte != 10 ? classOf[byte] : UInt8(representatives.count) }
    }

    /// Groups the bytes below 128 by the set of consuming instructions that take them; `\n`
    /// is left out (the VM reads it). Returns each byte's class and one byte of each class.
    ///
    /// Partition refinement over the instructions' distinct ASCII bitmaps (a rule's pattern has
    /// a handful: its literals and `[0-9]`-like sets), so the cost is bitmaps × 128 steps, not a
    /// signature per byte.
    private static func byteClasses(_ program: [LinearRegex.Instruction]) -> ([UInt8], [UInt8]) {
        var bitmaps = Set<ASCIIBitmap>()
        for instruction in program {
            if let bitmap = instruction.asciiBitmap, bitmap.low | bitmap.high != 0 { bitmaps.insert(bitmap) }
        }
        var classOf = [UInt8](repeating: 0, count: 128)
        var classCount = 1
        var renumber = [Int16](repeating: -1, count: 256)
        for bitmap in bitmaps {
            renumber.withUnsafeMutableBufferPointer { slots in
                slots.update(repeating: -1)
                var fresh = 0
                for byte in 0..<128 where byte != 10 {
                    let key = Int(classOf[byte]) &* 2 &+ (bitmap.contains(UInt8(byte)) ? 1 : 0)
                    if slots[key] < 0 {
                        slots[key] = Int16(fresh)
                        fresh += 1
                    }
                    classOf[byte] = UInt8(slots[key])
                }
                classCount = fresh
            }
        }
        var representatives = [UInt8](repeating: 0, count: classCount)
        var seen = [Bool](repeating: false, count: classCount)
        for byte in UInt8(0)..<128 where byte != 10 && !seen[Int(classOf[Int(byte)])] {
            seen[Int(classOf[Int(byte)])] = true
            representatives[Int(classOf[Int(byte)])] = byte
        }
        return (classOf, representatives)
    }

    /// The ASCII bytes one instruction consumes.
    struct ASCIIBitmap: Hashable {
        var low: UInt64
        var high: UInt64

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : high & (1 << UInt64(byte - 64)) != 0
        }
    }

    /// The states found so far and the closure over the program, with scratch kept between
    /// calls.
    private struct Builder {
        let program: [LinearRegex.Instruction]
        let anchoredAtStart: Bool
        /// Each state's threads, sorted; index 0 is the start state.
        var sets: [[Int32]] = [[]]
        var numbers: [[Int32]: UInt16] = [:]
        private var visited: [Bool]
        /// Each instruction's ASCII bitmap, read once per state and class.
        private let bitmaps: [ASCIIBitmap?]

        init(program: [LinearRegex.Instruction], anchoredAtStart: Bool) {
            self.program = program
            self.anchoredAtStart = anchoredAtStart
            visited = [Bool](repeating: false, count: program.count)
            bitmaps = program.map(\.asciiBitmap)
        }

        /// Follows jumps, splits and assertions from the state's threads (and a new thread at
        /// the program's start, where the search may begin here) at a position holding an ASCII
        /// byte other than `\n`, or at the end of the text after one (`atEnd`). Returns the
        /// consuming instructions reached and whether `match` was.
        mutating func closure(_ threads: [Int32], atStart: Bool, atEnd: Bool) -> (threads: [Int], matched: Bool) {
            var stack = threads.map(Int.init)
            if !anchoredAtStart || atStart { stack.append(0) }
            var reached: [Int] = []
            var touched: [Int] = []
            var matched = false
            while let pc = stack.popLast() {
                guard !visited[pc] else { continue }
                visited[pc] = true
                touched.append(pc)
                switch program[pc] {
                case .match: matched = true
                case .jump(let target): stack.append(target)
                case .split(let first, let second): stack.append(second); stack.append(first)
                case .assertion(let assertion):
                    if RegexDFA.holds(assertion, atStart: atStart, atEnd: atEnd) { stack.append(pc + 1) }
                case .scalar, .set: reached.append(pc)
                }
            }
            for pc in touched { visited[pc] = false }
            return (reached, matched)
        }

        /// The state after the reached instructions read `byte`, numbering it if it is new; nil
        /// when that would pass `maxStates`.
        mutating func step(_ threads: [Int], on byte: UInt8) -> UInt16? {
            var next: [Int32] = []
            for pc in threads where bitmaps[pc]?.contains(byte) == true { next.append(Int32(pc + 1)) }
            if next.isEmpty && anchoredAtStart { return RegexDFA.dead }
            next.sort()
            if let known = numbers[next] { return known }
            guard sets.count < RegexDFA.maxStates else { return nil }
            let number = UInt16(sets.count)
            sets.append(next)
            numbers[next] = number
            return number
        }
    }

    /// An assertion's answer at a position whose byte is ASCII and not `\n`, or at the end of
    /// the text after such a byte or at its start (word boundaries excluded above).
    private static func holds(_ assertion: RegexAssertion, atStart: Bool, atEnd: Bool) -> Bool {
        switch assertion {
        case .textStart, .lineStart: return atStart
        case .textEnd, .lineEnd, .endOrFinalNewline: return atEnd
        case .wordBoundary, .notWordBoundary: return false
        }
    }

    /// Runs the automaton from the text's start. Returns the answer when it is known, or the
    /// position and state where the VM must take over (a byte the automaton does not read).
    @inline(__always)
    func run(_ text: UnsafeBufferPointer<UInt8>) -> Outcome {
        runClass.withUnsafeBufferPointer { classes in
            runTable.withUnsafeBufferPointer { table in
                var row = Int(RegexDFA.start)
                var position = 0
                while position < text.count {
                    let next = table[row &+ Int(classes[Int(text[position])])]
                    if next >= RegexDFA.stop {
                        switch next {
                        case RegexDFA.match: return .matched
                        case RegexDFA.dead: return .failed
                        default: return .handOver(position: position, state: row / runStride)
                        }
                    }
                    row = Int(next)
                    position &+= 1
                }
                return acceptingAtEnd[row / runStride] ? .matched : .failed
            }
        }
    }

    enum Outcome {
        case matched
        case failed
        /// The VM continues at `position` with `pending[state]`.
        case handOver(position: Int, state: Int)
    }
}

extension LinearRegex.Instruction {
    /// The ASCII bytes this instruction consumes; nil for the ones that consume nothing.
    fileprivate var asciiBitmap: RegexDFA.ASCIIBitmap? {
        switch self {
        case .scalar(let expected):
            guard expected < 128 else { return RegexDFA.ASCIIBitmap(low: 0, high: 0) }
            return expected < 64
                ? RegexDFA.ASCIIBitmap(low: 1 << UInt64(expected), high: 0)
                : RegexDFA.ASCIIBitmap(low: 0, high: 1 << UInt64(expected - 64))
        case .set(let low, let high, _): return RegexDFA.ASCIIBitmap(low: low, high: high)
        default: return nil
        }
    }
}
