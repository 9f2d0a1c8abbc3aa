import Testing

@testable import AuditwatchCore

/// The points where auditwatch's compiler now follows the reference implementation (pySigma with
/// the SQLite backend, `make conformance`); each case failed before. See docs/sigma-conformance.md.
@Suite("Compiler semantics settled against the reference")
struct ReferenceSemanticsTests {
    private static let event = #"""
        {"id": "e1", "type": "login.failed", "effective_at": 1767225599,
         "actor": {"type": "session", "session": {"user": {"email": "Eve@Example.com"}, "ip_address": "192.0.2.1",
           "user_agent": "token=c2VjcmV0LWFkbWlu", "ip_address_details": {"asn": "0x10", "city": " 20"}}},
         "invite.sent": {"email": "eve@example.com.evil"},
         "when": "2026-01-04T10:00:00Z", "monday": "2026-01-05T10:00:00Z", "mapped": "::ffff:192.0.2.1",
         "cmd": "tool -quiet-mode /x", "shouted": "token=C2VJCMV0LWFKBWLU"}
        """#

    /// Whether one `field|modifiers: value(s)` entry matches the event; nil when it does not compile.
    private func matches(_ field: String, _ modifiers: [String], _ values: [RuleValue]) throws -> Bool? {
        let location = SourceLocation(file: "t.yml", line: 1, column: 1)
        let test = FieldTest(
            field: field, modifiers: try modifiers.map { try #require(Modifier(rawValue: $0)) },
            values: values.map { Located($0, at: location) },
            isList: values.count > 1, location: location)
        let detection = Detection(
            selections: [Selection(name: "sel", alternatives: [[test]], location: location)],
            conditions: [Located("sel", at: location)], location: location)
        let compiled = RuleCompiler.compile(
            Rule(id: "t", title: "t", level: .low, detection: detection, location: location))
        guard let rule = compiled.rule else { return nil }
        return rule.matches(try Event(document: try JSONDocument(parsing: Self.event)))
    }

    @Test("base64 and base64offset compare the encoded text ignoring case unless cased, as every Sigma value")
    func base64Case() throws {
        // "shouted" holds the Base64 of "secret-admin" in capitals.
        #expect(try matches("shouted", ["base64", "contains"], [.string("secret-admin")]) == true)
        #expect(try matches("shouted", ["base64offset", "contains"], [.string("secret-admin")]) == true)
        #expect(try matches("shouted", ["base64", "contains", "cased"], [.string("secret-admin")]) == false)
        #expect(
            try matches("actor.session.user_agent", ["base64", "contains", "cased"], [.string("secret-admin")]) == true)
        #expect(try matches("actor.session.user_agent", ["base64", "contains"], [.string("SECRET-ADMIN")]) == false)
    }

    @Test(
        "an IPv6 network holds no IPv4 address; an IPv4 network holds its IPv4-mapped spelling",
        arguments: [
            ("actor.session.ip_address", "::/0", false), ("actor.session.ip_address", "::ffff:0:0/96", false),
            ("actor.session.ip_address", "192.0.2.0/24", true), ("mapped", "::ffff:0:0/96", true),
            ("mapped", "192.0.2.0/24", true), ("mapped", "::/0", true),
        ])
    func cidrFamilies(field: String, network: String, expected: Bool) throws {
        #expect(try matches(field, ["cidr"], [.string(network)]) == expected)
    }

    @Test(
        "numeric text is a decimal literal: hex is text, surrounding space is not",
        arguments: [
            ("actor.session.ip_address_details.asn", "gt", 5.0, false),
            ("actor.session.ip_address_details.asn", "lt", 100.0, false),
            ("actor.session.ip_address_details.city", "gte", 20.0, true),
            ("actor.session.ip_address_details.city", "lt", 20.0, false),
        ])
    func numericText(field: String, comparison: String, bound: Double, expected: Bool) throws {
        #expect(try matches(field, [comparison], [.double(bound)]) == expected)
        #expect(NumericText.value("0x10") == nil && NumericText.value("inf") == nil && NumericText.value("nan") == nil)
        #expect(
            NumericText.value(" 20 ") == 20 && NumericText.value("-1.5e2") == -150 && NumericText.value(".5") == 0.5)
        #expect(NumericText.value("1e") == nil && NumericText.value("") == nil && NumericText.value("+") == nil)
    }

    @Test("a rule's numeric string bound follows the same grammar")
    func numericBound() throws {
        #expect(RuleValue.string("0x10").number == nil)
        #expect(RuleValue.string(" 20").number == 20)
    }

    @Test("neq and fieldref|neq match a missing field, as pySigma's negated item does")
    func neqMissing() throws {
        #expect(try matches("project.name", ["neq"], [.string("x")]) == true)
        #expect(try matches("type", ["neq"], [.string("LOGIN.FAILED")]) == false)
        #expect(try matches("project.name", ["fieldref", "neq"], [.string("type")]) == true)
        #expect(try matches("type", ["fieldref", "neq"], [.string("project.name")]) == true)
        #expect(try matches("project.name", ["fieldref"], [.string("type")]) == false)
    }

    @Test(
        "re takes startswith, endswith and contains (no change to an unanchored search)",
        arguments: [
            (["re", "contains"], "xampl", true), (["re", "startswith"], "^eve", false),
            (["re", "i", "startswith"], "^eve", true),
            (["re", "endswith"], "com$", true), (["re", "contains"], "^Example", false),
        ])
    func regexPlacement(modifiers: [String], pattern: String, expected: Bool) throws {
        #expect(try matches("actor.session.user.email", modifiers, [.string(pattern)]) == expected)
    }

    @Test(
        "fieldref takes startswith, endswith and contains, case-insensitive unless cased",
        arguments: [
            ("invite.sent.email", ["fieldref", "startswith"], true),
            ("invite.sent.email", ["fieldref", "contains"], true),
            ("invite.sent.email", ["fieldref", "endswith"], false), ("invite.sent.email", ["fieldref"], false),
            ("invite.sent.email", ["fieldref", "startswith", "cased"], false),
            ("invite.sent.email", ["fieldref", "startswith", "neq"], false),
        ])
    func fieldReferencePlacement(field: String, modifiers: [String], expected: Bool) throws {
        #expect(try matches(field, modifiers, [.string("actor.session.user.email")]) == expected)
    }

    @Test(
        "week is the ISO 8601 week (1 … 53), not strftime's %W of the reference backend",
        arguments: [
            ("when", 1, true), ("monday", 2, true), ("effective_at", 1, true), ("when", 0, false),
        ])
    func week(field: String, number: Int, expected: Bool) throws {
        // 2026-01-04 is a Sunday (ISO week 1; %W week 0), 2026-01-05 a Monday (ISO 2; %W 1),
        // 2025-12-31 a Wednesday in ISO week 1 of 2026 (%W 52). See docs/sigma-conformance.md.
        #expect(try matches(field, ["week"], [.int(Int64(number))]) == expected)
    }

    @Test(
        "loading refuses what pySigma refuses for a reason: a wildcard under base64 or in a field reference, host bits in a network"
    )
    func refusals() throws {
        #expect(try matches("actor.session.user_agent", ["base64", "contains"], [.string("secret*")]) == nil)
        #expect(try matches("actor.session.user_agent", ["base64offset", "contains"], [.string("se?ret")]) == nil)
        #expect(try matches("actor.session.user_agent", ["base64", "contains"], [.string("secret-admin")]) == true)
        #expect(try matches("actor.session.user.email", ["fieldref"], [.string("invite.*")]) == nil)
        #expect(try matches("actor.session.ip_address", ["cidr"], [.string("192.0.2.1/24")]) == nil)
        #expect(try matches("actor.session.ip_address", ["cidr"], [.string("2001:db8::1/32")]) == nil)
        #expect(try matches("actor.session.ip_address", ["cidr"], [.string("192.0.2.1")]) == true)
    }

    @Test(
        "two of contains/startswith/endswith mean contains, as pySigma",
        arguments: [
            (["startswith", "endswith"], "example", true), (["contains", "startswith"], "xample", true),
            (["endswith", "startswith"], "nope", false),
        ])
    func placementPairs(modifiers: [String], value: String, expected: Bool) throws {
        #expect(try matches("actor.session.user.email", modifiers, [.string(value)]) == expected)
    }

    @Test(
        "neq: null is a value other than null being there, as pySigma's NOT (field IS NULL)",
        arguments: [
            ("actor.session.user_agent", true), ("project.name", false), ("nothing", false),
        ])
    func neqNull(field: String, expected: Bool) throws {
        let event =
            #"{"id": "e", "type": "t", "effective_at": 1, "actor": {"session": {"user_agent": "x"}}, "nothing": null}"#
        let location = SourceLocation(file: "t.yml", line: 1, column: 1)
        let test = FieldTest(
            field: field, modifiers: [.neq], values: [Located(.null, at: location)], isList: false, location: location)
        let detection = Detection(
            selections: [Selection(name: "sel", alternatives: [[test]], location: location)],
            conditions: [Located("sel", at: location)], location: location)
        let rule = try #require(
            RuleCompiler.compile(Rule(id: "t", title: "t", level: .low, detection: detection, location: location)).rule)
        #expect(rule.matches(try Event(document: try JSONDocument(parsing: event))) == expected)
    }

    @Test("windash|base64offset encodes every dash variant (windash after base64 is refused)")
    func windashThenBase64() throws {
        // "shouted" is the Base64 of "secret-admin"; "secret/admin" is a windash variant of it.
        #expect(try matches("shouted", ["windash", "base64offset", "contains"], [.string("secret/admin")]) == true)
        #expect(try matches("shouted", ["base64offset", "contains"], [.string("secret/admin")]) == false)
        #expect(try matches("shouted", ["base64offset", "windash", "contains"], [.string("secret/admin")]) == nil)
    }
}
