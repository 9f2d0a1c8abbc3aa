import Foundation
import Testing

@testable import AuditwatchCore

@Suite("Unicode tables of the regex engine")
struct UnicodeTablesTests {
    /// `CaseClassData.swift` is generated: this compares it with the classes computed from the
    /// Unicode data of the Swift that runs the test, and rewrites it with
    /// `AUDITWATCH_UPDATE_SNAPSHOTS=1` (after a Swift upgrade that changes the data).
    @Test("the baked case classes are the ones computed from Swift's Unicode data")
    func bakedCaseClasses() throws {
        let computed = UnicodeTables.computedCaseClasses()
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/AuditwatchCore/Regex/CaseClassData.swift").standardized
        if ProcessInfo.processInfo.environment["AUDITWATCH_UPDATE_SNAPSHOTS"] == "1" {
            try Self.source(computed).write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            UnicodeTables.caseClasses == computed,
            "CaseClassData.swift is stale: AUDITWATCH_UPDATE_SNAPSHOTS=1 swift test --filter UnicodeTablesTests")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.source(computed))
        #expect(computed.count > 1_000 && computed.allSatisfy { $0.count > 1 && $0 == $0.sorted() })
    }

    @Test("reading the table: members per line, hexadecimal, any spacing")
    func parsing() {
        #expect(UnicodeTables.parseCaseClasses("41 61\n4B 6B 212A") == [[0x41, 0x61], [0x4B, 0x6B, 0x212A]])
        #expect(UnicodeTables.parseCaseClasses("  1E920 1E942\n\n") == [[0x1E920, 0x1E942]])
        #expect(UnicodeTables.parseCaseClasses("") == [])
    }

    @Test("case classes of letters: Kelvin sign, long s, dotted capital I")
    func knownClasses() {
        #expect(UnicodeTables.caseClass(of: 0x6B) == [0x4B, 0x6B, 0x212A])
        #expect(UnicodeTables.caseClass(of: 0x73) == [0x53, 0x73, 0x17F])
        #expect(UnicodeTables.caseClass(of: 0x61) == [0x41, 0x61])
        #expect(UnicodeTables.caseClass(of: 0x31) == nil)
    }

    static func source(_ classes: [[UInt32]]) -> String {
        let lines = classes.map {
            "        " + $0.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
        }
        return """
            /// Generated from Swift's Unicode data by `UnicodeTablesTests`, which checks that it equals the
            /// classes computed at run time (`AUDITWATCH_UPDATE_SNAPSHOTS=1 swift test --filter
            /// UnicodeTablesTests` rewrites it). Computing them looks up a property of each of 206,000
            /// scalars (88 M instructions, a quarter of the shipped pack's start-up); reading this, 1.3 M.
            enum CaseClassData {
                /// `UnicodeTables.caseClasses`: a class a line, its members ascending, in hexadecimal.
                static let text = \"\"\"

            """ + lines.joined(separator: "\n") + "\n        \"\"\"\n}\n"
    }
}
