/// Turns a parsed pattern into Pike-VM instructions (Thompson's construction), refusing programs
/// above `LinearRegex.maxInstructions`.
struct RegexProgramBuilder {
    var program: [LinearRegex.Instruction] = []
    var sets: [ScalarSet] = []
    var usesWordBoundary = false

    mutating func emit(_ node: RegexNode) throws(RegexError) {
        guard program.count < LinearRegex.maxInstructions else {
            throw RegexError(
                offset: 0,
                message: "the pattern needs more than \(LinearRegex.maxInstructions) "
                    + "instructions once counted repetitions are unrolled; lower the {n,m} counts")
        }
        switch node {
        case .empty: break
        case .set(let set):
            if let single = set.single {
                program.append(.scalar(single))
            } else {
                sets.append(set)
                let bitmap = set.asciiBitmap
                program.append(.set(low: bitmap.low, high: bitmap.high, index: sets.count - 1))
            }
        case .assertion(let assertion):
            if assertion == .wordBoundary || assertion == .notWordBoundary { usesWordBoundary = true }
            program.append(.assertion(assertion))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, -1))
                    try emit(branch)
                    jumps.append(program.count)
                    program.append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeated(let inner, let minimum, let maximum):
            try emitRepeat(inner, minimum: minimum, maximum: maximum)
        }
    }

    private mutating func emitRepeat(_ inner: RegexNode, minimum: Int, maximum: Int?) throws(RegexError) {
        if let maximum {
            for _ in 0..<minimum { try emit(inner) }
            // x{n,m}: m - n optional copies, each skipping to the end when not taken.
            var splits: [Int] = []
            for _ in minimum..<maximum {
                splits.append(program.count)
                program.append(.split(program.count + 1, -1))
                try emit(inner)
            }
            for split in splits { program[split] = .split(split + 1, program.count) }
        } else if minimum > 0 {
            // x{n,}: n - 1 copies, then one that loops back to itself.
            for _ in 0..<(minimum - 1) { try emit(inner) }
            let loop = program.count
            try emit(inner)
            program.append(.split(loop, program.count + 1))
        } else {
            let split = program.count
            program.append(.split(split + 1, -1))
            try emit(inner)
            program.append(.jump(split))
            program[split] = .split(split + 1, program.count)
        }
    }
}
