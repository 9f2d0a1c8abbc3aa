import Testing

@testable import AuditwatchCore

/// Modifiers are read once, when a rule is decoded: unknown, repeated and misplaced ones are
/// refused there, located at the entry's key.
@Suite("Typed modifiers and comparisons")
struct ModifierTests {
    @Test("a chain reads in written order")
    func chain() throws {
        #expect(try Modifier.chain(["windash", "base64"], isKeyword: false, keyName: "k") == [.windash, .base64])
    }

    @Test(
        "unknown, twice, and field-only modifiers on a keyword are refused with the reason",
        arguments: [
            (["containz"], false, "unknown modifier 'containz' in 'f|containz'; did you mean 'contains'?"),
            (["all", "all"], false, "modifier 'all' appears twice in 'f|all|all'"),
            (["exists", "cidr"], true, "'cidr', 'exists' cannot qualify a keyword"),
            (["startwith"], true, "'startwith' cannot qualify a keyword"),
        ])
    func refused(names: [String], isKeyword: Bool, message: String) {
        #expect(throws: ModifierError.self) {
            try Modifier.chain(names, isKeyword: isKeyword, keyName: (["f"] + names).joined(separator: "|"))
        }
        do throws(ModifierError) {
            _ = try Modifier.chain(names, isKeyword: isKeyword, keyName: (["f"] + names).joined(separator: "|"))
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test("a decoded entry is located at its key and keeps no refused modifier")
    func decoded() throws {
        let detection: DocumentLiteral = ["sel": ["type|startwith": "login."], "condition": "sel"]
        let result = assemble([["title": "t", "id": "t", "level": "low", "detection": detection]])
        let error = try #require(result.diagnostics.first { $0.message.hasPrefix("unknown modifier") })
        // title, id, level, detection, then sel and its entry.
        #expect(error.location == SourceLocation(file: "doc1.yml", line: 6, column: 5))
        #expect(error.message == "unknown modifier 'startwith' in 'type|startwith'; did you mean 'startswith'?")
    }

    @Test(
        "count comparisons hold as written; only lower bounds are monotone",
        arguments: [
            (CountComparison.gt, 5, false, true), (.gte, 5, true, true), (.lt, 5, false, false),
            (.lte, 5, true, false), (.eq, 5, true, false), (.neq, 5, false, false),
        ])
    func comparisons(comparison: CountComparison, count: Int64, holdsAtFive: Bool, monotone: Bool) {
        #expect(comparison.holds(count, 5) == holdsAtFive)
        #expect(comparison.isLowerBound == monotone)
    }
}
