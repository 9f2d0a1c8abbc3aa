import Foundation
import Testing

@testable import AuditwatchYAML

@Suite("Rule files found below a directory")
struct RuleFilesTests {
    /// A tree with every kind of entry the walk decides on.
    private func tree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aw-rulefiles-\(UUID().uuidString)")
        let manager = FileManager.default
        for directory in ["rules/sub/deeper", "rules/fixtures", "rules/.git", "rules/dir.yml", "other"] {
            try manager.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for file in [
            "rules/a.yml", "rules/b.yaml", "rules/notes.txt", "rules/.hidden.yml", "rules/sub/c.yml",
            "rules/sub/deeper/d.yaml", "rules/fixtures/pinned.yml", "rules/.git/config.yml", "rules/dir.yml/e.yml",
            "other/linked.yml", "other/through-dir-link.yml",
        ] {
            try "{}".write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let rules = root.appendingPathComponent("rules").path
        try manager.createSymbolicLink(atPath: rules + "/file-link.yml", withDestinationPath: "../other/linked.yml")
        try manager.createSymbolicLink(atPath: rules + "/dir-link", withDestinationPath: "../other")
        try manager.createSymbolicLink(atPath: rules + "/dangling.yml", withDestinationPath: "nowhere.yml")
        return rules
    }

    @Test(
        "every yml/yaml below, sorted; hidden entries, fixtures, dangling links and links to directories left out"
    )
    func walk() throws {
        let rules = try tree()
        defer { try? FileManager.default.removeItem(atPath: (rules as NSString).deletingLastPathComponent) }
        let expected = [
            "a.yml", "b.yaml", "dir.yml/e.yml", "file-link.yml", "sub/c.yml", "sub/deeper/d.yaml",
        ]
        #expect(try RuleFiles.find(rules).get() == expected.map { rules + "/" + $0 })
        #expect(try RuleFiles.find(rules + "/").get() == expected.map { rules + "/" + $0 }, "a trailing slash")
        #expect(try RuleFiles.find(rules + "/a.yml").get() == [rules + "/a.yml"], "a file is taken as given")
        #expect(throws: RuleFiles.Problem.self) { try RuleFiles.find(rules + "/missing").get() }
    }
}
