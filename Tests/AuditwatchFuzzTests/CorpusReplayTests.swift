import AuditwatchFuzzTargets
import Foundation
import Testing

/// The quick form of `make fuzz`: every committed seed of every target goes once through the
/// same entry point the libFuzzer driver calls, without sanitizers. A crash found by fuzzing is
/// added to its target's corpus once fixed, so this also replays every past finding.
@Suite struct CorpusReplayTests {
    static let corpusRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // CorpusReplayTests.swift, AuditwatchFuzzTests, Tests
        return parts.joined(separator: "/") + "/Fuzz/Corpus"
    }()

    static func seeds(_ target: FuzzTarget) -> [String] {
        let directory = corpusRoot + "/" + target.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { directory + "/" + $0 }
    }

    @Test(arguments: FuzzTarget.allCases)
    func replaysTheSeedCorpus(_ target: FuzzTarget) throws {
        let files = Self.seeds(target)
        #expect(files.count >= 5, "Fuzz/Corpus/\(target.rawValue) holds too few seeds")
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: file), "cannot read \(file)")
            target.run([UInt8](data))
        }
    }
}
