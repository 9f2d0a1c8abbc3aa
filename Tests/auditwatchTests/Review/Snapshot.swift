import AuditwatchTestSupport
import Foundation
import Testing

/// Golden files of what users read (help text, diagnostics, the diff comment), kept in
/// Tests/Snapshots/ as swift-argument-parser keeps its own: a change to any of
/// them shows in review. `AUDITWATCH_UPDATE_SNAPSHOTS=1` (or `make snapshots`) rewrites them.
enum Snapshot {
    static let directory = CommandRunner.repositoryRoot.appendingPathComponent("Tests/Snapshots")

    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["AUDITWATCH_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(name): run make snapshots", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record(
                """
                \(name) differs from its golden file (make snapshots rewrites it if the change is meant):
                \(lineDiff(expected, actual))
                """, sourceLocation: sourceLocation)
        }
    }

    /// The first lines that differ, enough to see what changed.
    private static func lineDiff(_ expected: String, _ actual: String) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        var lines: [String] = []
        for index in 0..<max(old.count, new.count) where lines.count < 12 {
            let before = index < old.count ? old[index] : nil, after = index < new.count ? new[index] : nil
            guard before != after else { continue }
            if let before { lines.append("  line \(index + 1) - \(before)") }
            if let after { lines.append("  line \(index + 1) + \(after)") }
        }
        return lines.joined(separator: "\n")
    }
}
