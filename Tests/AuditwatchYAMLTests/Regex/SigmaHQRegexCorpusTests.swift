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
    static func withUnpacked<Result>(_ body: (URL) throws -> Result) throws -> Result {
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

private func regexValues(in node: DocumentNode, file: String, into found: inout [CorpusRegex]) {
    switch node.content {
    case .scalar: break
    case .sequence(let items): for item in items { regexValues(in: item, file: file, into: &found) }
    case .mapping(let entries):
        for entry in entries {
            if let key = entry.key.scalar?.text, case let modifiers = key.split(separator: "|").dropFirst(),
               modifiers.contains("re") {
                let options = LinearRegex.Options(ignoreCase: modifiers.contains("i"),
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
    @Test("every |re value of the SigmaHQ rules compiles", .enabled(if: SigmaHQTarball.available,
        "skipped: ../shared/data/sigmahq-rules.tar.xz (relative to the package root) is absent"))
    func everyValueCompiles() throws {
        let values = try SigmaHQTarball.withUnpacked { folder in
            var found: [CorpusRegex] = []
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
            while let file = files?.nextObject() as? URL {
                guard file.pathExtension == "yml", let text = try? String(contentsOf: file, encoding: .utf8),
                      text.contains("|re") else { continue }
                let name = String(file.path.dropFirst(folder.path.count + 1))
                for document in YAMLDocumentReader.read(text, file: name).documents {
                    if let detection = document["detection"] { regexValues(in: detection, file: name, into: &found) }
                }
            }
            return found
        }
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
}
