import AuditwatchCore
import AuditwatchYAML
import Foundation
import Testing

/// The SigmaHQ rules tarball, found relative to the package root as the README of
/// `../shared/data` says; the test is skipped with that path in its message when it is absent.
private enum SigmaHQTarball {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let url = packageRoot.appendingPathComponent("../shared/data/sigmahq-rules.tar.xz").standardizedFileURL
    static var available: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Unpacks the tarball into a fresh temporary folder, runs `body` on it, then removes it.
    static func withUnpacked<R>(_ body: (URL) throws -> R) throws -> R {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aw-sigmahq-re-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xJf", url.path, "-C", folder.path]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return try body(folder)
    }
}

/// One `field|re…: value` of a rule file.
private struct CorpusRegex {
    var file: String
    var key: String
    var pattern: String
    var options: LinearRegex.Options
}

/// Every string value under `node` (command lines, paths, names the rules look for): realistic
/// texts for the corpus's regexes, some of which they match.
private func stringValues(in node: DocumentNode, into found: inout Set<String>) {
    switch node.content {
    case .scalar(let scalar): if scalar.text.count > 2 { found.insert(scalar.text) }
    case .sequence(let items): for item in items { stringValues(in: item, into: &found) }
    case .mapping(let entries): for entry in entries { stringValues(in: entry.value, into: &found) }
    }
}

/// Python's `re.search` for each pattern (with its flags) over every text, or nil if it refuses it.
private func pythonSearch(_ patterns: [CorpusRegex], _ texts: [String]) throws -> [[Bool]?] {
    let script = """
        import json, re, sys
        cases = json.load(sys.stdin)
        out = []
        for case in cases["patterns"]:
            flags = (re.I if "i" in case["flags"] else 0) | (re.M if "m" in case["flags"] else 0) \\
                | (re.S if "s" in case["flags"] else 0)
            try:
                regex = re.compile(case["pattern"], flags)
            except re.error:
                out.append(None)
                continue
            out.append([regex.search(text) is not None for text in cases["texts"]])
        json.dump(out, sys.stdout)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let flags = { (options: LinearRegex.Options) in
        (options.ignoreCase ? "i" : "") + (options.multiline ? "m" : "") + (options.dotAll ? "s" : "")
    }
    let payload: [String: Any] = [
        "patterns": patterns.map { ["pattern": $0.pattern, "flags": flags($0.options)] },
        "texts": texts,
    ]
    input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: payload))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return (try JSONSerialization.jsonObject(with: data) as? [Any] ?? []).map { $0 as? [Bool] }
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

/// The corpus's `|re` values and its other string values, read once per test run.
private func corpus() throws -> (regexes: [CorpusRegex], strings: [String]) {
    guard let loaded = loadedCorpus else { throw CocoaError(.fileReadCorruptFile) }
    return loaded
}

private let loadedCorpus: (regexes: [CorpusRegex], strings: [String])? = try? readCorpus()

private func readCorpus() throws -> (regexes: [CorpusRegex], strings: [String]) {
    try SigmaHQTarball.withUnpacked { folder in
        var found: [CorpusRegex] = []
        var strings: Set<String> = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "yml",
                let text = try? String(contentsOf: file, encoding: .utf8)
            else { continue }
            let name = String(file.path.dropFirst(folder.path.count + 1))
            for document in YAMLDocumentReader.read(text, file: name).documents {
                guard let detection = document["detection"] else { continue }
                if text.contains("|re") { regexValues(in: detection, file: name, into: &found) }
                stringValues(in: detection, into: &strings)
            }
        }
        return (found, strings.sorted())
    }
}

private func regexValues(in node: DocumentNode, file: String, into found: inout [CorpusRegex]) {
    switch node.content {
    case .scalar: break
    case .sequence(let items): for item in items { regexValues(in: item, file: file, into: &found) }
    case .mapping(let entries):
        for entry in entries {
            if let key = entry.key.scalar?.text, case let modifiers = key.split(separator: "|").dropFirst(),
                modifiers.contains("re")
            {
                let options = LinearRegex.Options(
                    ignoreCase: modifiers.contains("i"),
                    multiline: modifiers.contains("m"), dotAll: modifiers.contains("s"))
                let values = entry.value.sequence ?? [entry.value]
                for value in values {
                    if let text = value.scalar?.text {
                        found.append(CorpusRegex(file: file, key: key, pattern: text, options: options))
                    }
                }
            }
            regexValues(in: entry.value, file: file, into: &found)
        }
    }
}

@Suite("The SigmaHQ corpus's regular expressions")
struct SigmaHQRegexCorpusTests {
    @Test(
        "every |re value of the SigmaHQ rules compiles",
        .enabled(
            if: SigmaHQTarball.available,
            "skipped: ../shared/data/sigmahq-rules.tar.xz (relative to the package root) is absent"))
    func everyValueCompiles() throws {
        let values = try corpus().regexes
        // 217 values in 128 files at SigmaHQ/sigma 8eaafff; fewer means the walk missed some.
        #expect(values.count >= 200, "found only \(values.count) |re values")
        var failures: [String] = []
        for value in values {
            do {
                _ = try LinearRegex(value.pattern, options: value.options)
            } catch {
                failures.append("\(value.file) \(value.key): \(value.pattern) — \(error.message) at \(error.offset)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(values.count) failed:\n\(failures.joined(separator: "\n"))")
    }

    @Test(
        "on the corpus's own string values, every |re value answers as Python's re.search does",
        .enabled(
            if: SigmaHQTarball.available && pythonAvailable,
            "skipped: needs ../shared/data/sigmahq-rules.tar.xz (relative to the package root) and python3"))
    func agreesWithPython() throws {
        let (regexes, strings) = try corpus()
        // Every 16th string: about 1,000 texts, of which the regexes match some hundreds in all.
        let texts = strings.enumerated().filter { $0.offset % 16 == 0 }.map(\.element)
        let expected = try pythonSearch(regexes, texts)
        var differences: [String] = []
        var matched = 0
        for (index, value) in regexes.enumerated() {
            guard let regex = try? LinearRegex(value.pattern, options: value.options),
                let answers = expected[index]
            else {
                differences.append("\(value.pattern): compiles in only one of the two")
                continue
            }
            for (text, answer) in zip(texts, answers) {
                if answer { matched += 1 }
                if regex.matches(text) != answer {
                    differences.append("\(value.pattern) on \(text.debugDescription): Python \(answer)")
                }
            }
        }
        #expect(matched >= 100, "only \(matched) matches in \(texts.count) texts: they no longer exercise the regexes")
        let shown = differences.prefix(30).joined(separator: "\n")
        #expect(differences.isEmpty, "\(differences.count) differences in \(texts.count) texts:\n\(shown)")
    }
}
