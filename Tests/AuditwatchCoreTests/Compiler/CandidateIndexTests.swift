import Testing

@testable import AuditwatchCore

/// The candidate index may only narrow which rules are examined: on generated rules (every
/// literal family, wildcards, case, `all`, `not`, keywords, null and presence tests, field
/// references) × generated and awkward events, the indexed evaluation finds exactly the rules
/// that evaluating every rule on its own finds.
@Suite("Indexed evaluation equals rule-by-rule evaluation")
struct CandidateIndexTests {
    /// SplitMix64, as the event generator: deterministic on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let location = SourceLocation(file: "generated.yml", line: 1, column: 1)

    /// Values that occur in generated events (so rules do match), in other cases, and some that never occur.
    static func value(_ field: String, _ random: inout Random) -> String {
        let user = random.below(60)
        switch field {
        case "actor.session.user.email", "actor.email", "actor.api_key.user.email":
            return random.pick([
                "user\(user)@corp.example", "USER\(user)@Corp.Example", "user\(user)@", "@corp.example",
                "corp", "user\(user)", "r\(user)@c", "Zürich@corp.example", "ß", "us",
            ])
        case "actor.session.ip_address_details.city":
            return random.pick(["City \(user % 50)", "city \(user % 50)", "CITY", "Zürich", "ity 1", "Ci"])
        case "actor.session.ip_address_details.country":
            return random.pick(["US", "de", "Gb", "XX", "U"])
        case "actor.session.ip_address_details.asn":
            return random.pick(["\(1000 + user)", "10", "1", "9999"])
        case "project.id", "details.id":
            return random.pick(["proj_\(user)", "PROJ_\(user)", "proj_", "key_\(user)", "_\(user)", "id_"])
        case "actor.api_key.id":
            return random.pick(["key_\(user)", "key_svc\(user)", "KEY_SVC", "svc", "key_"])
        case "type":
            return random.pick(["login.failed", "LOGIN.FAILED", "login.", ".failed", "api_key.created", "invite"])
        default:
            return random.pick(["\(user)", "session", "api_key", "Mozilla/5.0", "Safari", "none", "a", ""])
        }
    }

    static let fields = [
        "actor.session.user.email", "actor.email", "actor.api_key.user.email", "actor.session.ip_address_details.city",
        "actor.session.ip_address_details.country", "actor.session.ip_address_details.asn", "project.id", "details.id",
        "actor.api_key.id", "type", "actor.type", "actor.session.user_agent", "details.data.scopes", "tags",
    ]

    /// One random `field|modifiers: values` entry.
    static func fieldTest(_ random: inout Random) -> FieldTest {
        let field = random.pick(fields)
        var modifiers: [Modifier] = []
        var values: [RuleValue] = []
        let count = 1 + random.below(4)
        func strings(wildcards: Bool = false) -> [RuleValue] {
            (0..<count).map { _ in
                var text = value(field, &random)
                if wildcards && random.below(3) == 0 {
                    text = random.pick(["*", "?", ""]) + text + random.pick(["*", "?", "", "*x"])
                }
                return .string(text)
            }
        }
        switch random.below(16) {
        case 0, 1: values = strings(wildcards: true)
        case 2: modifiers = [.contains]; values = strings()
        case 3: modifiers = [.startswith]; values = strings(wildcards: true)
        case 4: modifiers = [.endswith]; values = strings()
        case 5: modifiers = [random.pick([Modifier.contains, .startswith, .endswith]), .cased]; values = strings()
        case 6:
            modifiers = [.contains, .all]
            values = strings() + [.string(value(field, &random))]
        case 7:
            modifiers = [.cidr]
            values = (0..<count).map { _ in
                .string(
                    random.pick([
                        "198.51.\(random.below(4)).0/24", "198.51.0.0/16", "0.0.0.0/0", "203.0.113.0/24", "10.0.0.0/8",
                        "2001:db8::/32", "::/0", "198.51.\(random.below(4)).\(random.below(50))/32",
                    ]))
            }
        case 8:
            modifiers = [random.pick([Modifier.gt, .gte, .lt, .lte])]
            values = [.int(random.pick([0, 10, 1020, 1_773_705_700]))]
        case 9:
            modifiers = random.pick([[Modifier.re], [.re, .i]])
            values = [
                .string(
                    random.pick([
                        "^user1[0-9]@", "corp\\.example$", "USER2", "[0-9]{3}", "^(login|logout)\\.", "svc", "Mozilla",
                        "z.rich",
                        // Anchored prefixes and alternations of literals (`RegexAnalysis.indexLiterals`).
                        "^user1[0-9]@corp\\.example$", "^(User2|user3|key_)", "(key|proj)_[0-9]", "^cit(y|Y) 1",
                        "^(?:login|api_key)\\.(failed|created)", "\\A(ZÜRICH|Zürich)", "(Safari|Mozilla)/", "^us(er)?1",
                        "^[0-9]+$", "(?i)^USER1", "^(proj|key)(_1|_2)",
                    ]))
            ]
        case 10: modifiers = [.neq]; values = strings()
        case 11: values = [.null]
        case 12: modifiers = [.exists]; values = [.bool(random.below(2) == 0)]
        case 13: values = [.int(random.pick([1000, 1010, 1, 0]))]
        case 14:
            modifiers = [.fieldref]
            values = [.string(random.pick(["actor.email", "actor.session.user.email", "project.id"]))]
        default:
            // A keyword: a value searched for in every value of the event.
            return FieldTest(
                field: "", modifiers: [],
                values: [Located(.string(value("actor.email", &random)), at: location)], isList: false,
                location: location)
        }
        return FieldTest(
            field: field, modifiers: modifiers, values: values.map { Located($0, at: location) },
            isList: values.count > 1, location: location)
    }

    static func rule(_ number: Int, _ random: inout Random) -> CompiledRule? {
        let selectionCount = 1 + random.below(3)
        let names = (0..<selectionCount).map { "sel_\($0)" }
        let selections = names.map { name in
            Selection(
                name: name,
                alternatives: (0..<(1 + random.below(2))).map { _ in
                    (0..<(1 + random.below(3))).map { _ in fieldTest(&random) }
                }, location: location)
        }
        let condition: String
        switch random.below(7) {
        case 0: condition = "1 of sel_*"
        case 1: condition = "all of sel_*"
        case 2: condition = names.count > 1 ? "sel_0 and not sel_1" : "not sel_0"
        case 3: condition = names.count > 1 ? "sel_0 or (sel_1 and not sel_0)" : "sel_0"
        default: condition = names.joined(separator: random.below(2) == 0 ? " and " : " or ")
        }
        let detection = Detection(
            selections: selections, conditions: [Located(condition, at: location)], location: location)
        return RuleCompiler.compile(
            Rule(id: "r\(number)", title: "r\(number)", level: .low, detection: detection, location: location)
        ).rule
    }

    /// Generated events, and the same events bent: other case, non-ASCII, escapes, arrays on
    /// the way to a value, IPv6 and IPv4-mapped addresses, numbers and nulls where text was.
    static func events(count: Int) -> [String] {
        var generator = EventGenerator(seed: 7, users: 60, projects: 60, serviceAccounts: 20, keys: 60)
        var result: [String] = []
        for index in 0..<count {
            let line = generator.next()
            result.append(line)
            switch index % 9 {
            case 0: result.append(line.replacing("@corp.example", with: "@CORP.Example"))
            case 1: result.append(line.replacing("City ", with: "Zürich ").replacing("user", with: "USÉR"))
            case 2: result.append(line.replacing("@corp", with: "\\u0040corp").replacing("proj_", with: "proj\\u005f"))
            case 3:
                result.append(
                    line.replacing(#""project":{"#, with: #""project":[{"id":"proj_9"},{"#).replacing(
                        #""}}"#, with: #""}]}"#))
            case 4: result.append(line.replacing("198.51.", with: "::ffff:198.51."))
            case 5: result.append(line.replacing(#""ip_address":"198.51."#, with: #""ip_address":"2001:db8::"#))
            case 6:
                result.append(
                    line.replacing(#""asn":"#, with: #""asn":10"#).replacing(
                        #""country":"#, with: #""country":null,"x":"#))
            case 7:
                result.append(
                    line.replacing(
                        #""effective_at":"#, with: #""tags":["user3@corp.example","ß",7,null],"effective_at":"#))
            default: result.append(line.replacing("corp.example", with: "corp.example.evil"))
            }
        }
        return result
    }

    @Test("generated rules × generated events: the same matches, in the same order")
    func equivalence() throws {
        var random = Random(state: 20_261_202)
        var compiled: [CompiledRule] = []
        var number = 0
        while compiled.count < 160 {
            if let rule = Self.rule(number, &random) { compiled.append(rule) }
            number += 1
        }
        let ruleSet = RuleSet(compiled)
        // The index must be doing something: most rules are found through literals.
        #expect(ruleSet.candidateIndex.always.count < compiled.count / 2)
        var matched = 0
        var checked = 0
        for line in Self.events(count: 240) {
            guard let document = try? JSONDocument(parsing: line), let event = try? Event(document: document) else {
                continue
            }
            let (indexed, plain) = event.withView { view in (ruleSet.match(view).rules, ruleSet.matchPlain(view)) }
            #expect(indexed == plain, "\(line)")
            matched += plain.count
            checked += 1
        }
        #expect(checked > 400)  // a few bent lines are not events (that is fine)
        // Rules do match (the test would prove nothing otherwise).
        #expect(matched > 100, "\(matched) matches")
    }

    @Test("a literal in another case, escaped, non-ASCII or in an array still finds its rule")
    func awkwardValues() throws {
        func rule(_ field: String, _ modifiers: [Modifier], _ value: String) throws -> CompiledRule {
            let test = FieldTest(
                field: field, modifiers: modifiers, values: [Located(.string(value), at: Self.location)], isList: false,
                location: Self.location)
            let detection = Detection(
                selections: [Selection(name: "sel", alternatives: [[test]], location: Self.location)],
                conditions: [Located("sel", at: Self.location)], location: Self.location)
            return try #require(
                RuleCompiler.compile(
                    Rule(id: value, title: "t", level: .low, detection: detection, location: Self.location)
                ).rule)
        }
        let rules = [
            try rule("actor.email", [], "Eve@Example.com"), try rule("city", [.startswith], "zür"),
            try rule("city", [.endswith], "RICH"), try rule("tags", [.contains], "secret"),
            try rule("ip", [.cidr], "192.0.2.0/24"), try rule("ip", [.cidr], "2001:db8::/32"),
            try rule("city", [.contains, .cased], "ürich"), try rule("project.id", [], "p*_1?"),
        ]
        let ruleSet = RuleSet(rules)
        #expect(ruleSet.candidateIndex.always == [6])  // a case-sensitive non-ASCII literal is not indexed
        let events = [
            #"{"id":"a","type":"t","effective_at":1,"actor":{"session":{"user":{"email":"EVE\u0040example.COM"}}}}"#,
            #"{"id":"b","type":"t","effective_at":1,"city":"ZÜRICH","tags":["x","TOP-SECRET"],"ip":"::ffff:192.0.2.9"}"#,
            #"{"id":"c","type":"t","effective_at":1,"city":"Zürich","ip":"2001:db8::1","project":[{"id":"x"},{"id":"P1_10"}]}"#,
        ]
        let expected = [[0], [1, 2, 3, 4], [1, 2, 5, 6, 7]]
        for (line, wanted) in zip(events, expected) {
            let event = try Event(document: try JSONDocument(parsing: line))
            let (indexed, plain) = event.withView { view in (ruleSet.match(view).rules, ruleSet.matchPlain(view)) }
            #expect(plain == wanted, "\(line)")
            #expect(indexed == plain, "\(line)")
        }
    }

    /// Past the 256 literal hits the stack holds, and past the 4,096 of the larger buffer, an
    /// event is still matched exactly: collected again, then run against its whole list.
    @Test("more literal hits than the stack buffer, and than the larger one", arguments: [30, 600, 6_300])
    func manyLiteralHits(ruleCount: Int) throws {
        func rule(_ number: Int, _ value: String) throws -> CompiledRule {
            let test = FieldTest(
                field: "actor.email", modifiers: [.contains], values: [Located(.string(value), at: Self.location)],
                isList: false, location: Self.location)
            let detection = Detection(
                selections: [Selection(name: "sel", alternatives: [[test]], location: Self.location)],
                conditions: [Located("sel", at: Self.location)], location: Self.location)
            return try #require(
                RuleCompiler.compile(
                    Rule(id: "r\(number)", title: "t", level: .low, detection: detection, location: Self.location)
                ).rule)
        }
        // Two rules in three carry a literal the event holds; the third one it does not.
        let values = ["@corp", "user7@", "@nowhere"]
        let ruleSet = RuleSet(try (0..<ruleCount).map { try rule($0, values[$0 % 3]) })
        #expect(ruleSet.candidateIndex.always.isEmpty)
        let line = #"{"id":"e","type":"t","effective_at":1,"actor":{"email":"USER7@corp.example"}}"#
        let event = try Event(document: try JSONDocument(parsing: line))
        let (indexed, plain) = event.withView { view in (ruleSet.match(view).rules, ruleSet.matchPlain(view)) }
        #expect(plain == (0..<ruleCount).filter { $0 % 3 != 2 })
        #expect(indexed == plain)
    }
}
