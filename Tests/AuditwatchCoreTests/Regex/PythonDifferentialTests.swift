import Foundation
import Testing

@testable import AuditwatchCore

/// Patterns from the grammar both engines share, built by a seeded generator so every run checks
/// the same cases and a failure names a pattern that can be replayed.
struct PatternGenerator {
    private var state: UInt64
    /// The scalars patterns and texts are made of.
    private let scalars: [String]

    init(seed: UInt64, alphabet: [String] = PatternGenerator.alphabet) {
        state = seed
        scalars = alphabet
    }

    /// SplitMix64: small, fast and the same everywhere.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// Text scalars chosen to hit case folding (K, KELVIN SIGN, LONG S, sharp s, Cyrillic),
    /// Unicode digits and spaces, word boundaries and line ends.
    static let alphabet: [String] = [
        "a", "b", "A", "B", "k", "\u{212A}", "s", "\u{17F}", "ß", "ẞ", "é", "É", "ж",
        "Ж",
        "1", "١", "_", " ", "\u{3000}", "\n", "-", ".", "σ", "ς", "Σ",
    ]

    mutating func text() -> String {
        (0..<below(9)).map { _ in pick(scalars) }.joined()
    }

    mutating func pattern() -> String {
        var flags = ""
        for flag in ["i", "m", "s"] where chance(25) { flags += flag }
        return (flags.isEmpty ? "" : "(?\(flags))") + alternation(depth: 0)
    }

    private mutating func alternation(depth: Int) -> String {
        (0..<(chance(25) ? 2 + below(2) : 1)).map { _ in concat(depth: depth) }.joined(separator: "|")
    }

    private mutating func concat(depth: Int) -> String {
        (0..<(1 + below(4))).map { _ in piece(depth: depth) }.joined()
    }

    private mutating func piece(depth: Int) -> String {
        if chance(12) { return pick(["^", "$", #"\b"#, #"\B"#, #"\A"#]) }
        let item = atom(depth: depth)
        guard chance(35) else { return item }
        let quantifier = pick(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}"])
        return item + quantifier + (chance(20) ? "?" : "")
    }

    private mutating func atom(depth: Int) -> String {
        switch below(depth < 3 ? 10 : 7) {
        case 0, 1, 2: return literal()
        case 3: return "."
        case 4: return pick([#"\d"#, #"\w"#, #"\s"#, #"\D"#, #"\W"#, #"\S"#])
        case 5, 6: return characterClass()
        case 7: return "(?:" + alternation(depth: depth + 1) + ")"
        case 8: return "(" + alternation(depth: depth + 1) + ")"
        default: return "(?" + pick(["i", "-i", "s", "m", "is"]) + ":" + alternation(depth: depth + 1) + ")"
        }
    }

    private mutating func literal() -> String {
        let scalar = pick(scalars)
        switch scalar {
        case "\n": return #"\n"#
        case ".", "-": return "\\" + scalar
        default: return scalar
        }
    }

    private mutating func characterClass() -> String {
        var body = ""
        for _ in 0..<(1 + below(3)) {
            switch below(4) {
            case 0: body += pick(["a-c", "A-Z", "à-ÿ", "а-я", "0-9", "j-t"])
            case 1: body += pick([#"\d"#, #"\w"#, #"\s"#, #"\W"#])
            default:
                let scalar = literal()
                body += scalar == "\\." ? "." : scalar
            }
        }
        return "[" + (chance(30) ? "^" : "") + body + "]"
    }
}

/// Python's answers: for each pattern, `re.search` on each text, or null where Python refuses it.
private func pythonResults(_ cases: [(pattern: String, texts: [String])]) throws -> [[Bool]?] {
    let script = """
        import json, re, sys
        out = []
        for case in json.load(sys.stdin):
            try:
                regex = re.compile(case["pattern"])
            except re.error:
                out.append(None)
                continue
            out.append([regex.search(text) is not None for text in case["texts"]])
        json.dump(out, sys.stdout)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let payload = try JSONSerialization.data(withJSONObject: cases.map { ["pattern": $0.pattern, "texts": $0.texts] })
    input.fileHandleForWriting.write(payload)
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    let decoded = try JSONSerialization.jsonObject(with: data) as? [Any] ?? []
    return decoded.map { $0 as? [Bool] }
}

private let pythonAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import re"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

@Suite("Regex differential test against Python's re")
struct PythonDifferentialTests {
    /// Where auditwatch differs from Python 3.11's `re` on purpose (docs/regex.md lists them).
    static func intendedDifference(pattern: String, text: String) -> String? {
        if text.isEmpty && pattern.contains(#"\B"#) {
            return "\\B matches the empty text, as in PCRE, RE2 and Python 3.14; Python before 3.14 says no"
        }
        return nil
    }

    /// Runs `patterns` generated patterns over `texts` generated texts each, from `seed`, against
    /// Python, and returns the disagreements.
    static func disagreements(seed: UInt64, patterns: Int, texts: Int) throws -> [String] {
        var generator = PatternGenerator(seed: seed)
        var cases: [(pattern: String, texts: [String])] = []
        for _ in 0..<patterns {
            let pattern = generator.pattern()
            cases.append((pattern, (0..<texts).map { _ in generator.text() }))
        }
        let expected = try pythonResults(cases)
        var differences: [String] = []
        for (index, item) in cases.enumerated() {
            let ours: LinearRegex
            do {
                ours = try LinearRegex(item.pattern)
            } catch {
                if expected[index] != nil {
                    differences.append("\(item.pattern): we refuse (\(error.message)), Python accepts")
                }
                continue
            }
            guard let answers = expected[index] else {
                differences.append("\(item.pattern): we accept, Python refuses")
                continue
            }
            for (text, answer) in zip(item.texts, answers) where ours.matches(text) != answer {
                if intendedDifference(pattern: item.pattern, text: text) != nil { continue }
                differences.append("\(item.pattern) on \(text.debugDescription): ours \(!answer), Python \(answer)")
            }
        }
        return differences
    }

    @Test(
        "generated patterns × texts agree with Python's re.search (Unicode text mode)",
        .enabled(if: pythonAvailable, "skipped: python3 is not on PATH"))
    func agreesWithPython() throws {
        // AUDITWATCH_REGEX_SEEDS=N checks N more seeds (a longer run, for whoever changes the engine).
        let extra = ProcessInfo.processInfo.environment["AUDITWATCH_REGEX_SEEDS"].flatMap { UInt64($0) } ?? 0
        var differences: [String] = []
        for seed in [0x5EED_0013] + (0..<extra).map({ 0x5EED_1000 + $0 }) {
            differences += try PythonDifferentialTests.disagreements(seed: seed, patterns: 600, texts: 24)
        }
        let shown = differences.prefix(40).joined(separator: "\n")
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(shown)")
    }
}
