import AuditwatchCore
import Testing

/// The base rules correlation tests build on, as documents built in code.
let baseRuleDocuments: [DocumentLiteral] = [
    [
        "title": "failed", "id": "failed", "level": "low",
        "detection": ["s": ["type": "login.failed"], "condition": "s"],
    ],
    ["title": "ok", "id": "ok", "level": "low", "detection": ["s": ["type": "login.succeeded"], "condition": "s"]],
    ["title": "key", "id": "key", "level": "low", "detection": ["s": ["type": "api_key.created"], "condition": "s"]],
]

/// Assembles documents built in code into a rule set, as the YAML loader would from files.
func assemble(_ documents: [DocumentLiteral], zones: any ZoneLookup = FixedZones()) -> AssembledRules {
    RuleSetAssembler(zones: zones).assemble(
        documents.enumerated().map { index, document in document.node(file: "doc\(index + 1).yml") })
}

/// An engine over the base rules and the given documents (correlations, usually).
struct Harness {
    var engine: DetectionEngine

    init(_ documents: DocumentLiteral..., options: EngineOptions = EngineOptions()) throws {
        try self.init(documents, options: options)
    }

    init(_ documents: [DocumentLiteral], options: EngineOptions = EngineOptions()) throws {
        let result = assemble(baseRuleDocuments + documents)
        let ruleSet = try #require(
            result.ruleSet, "\(result.diagnostics.map { "\($0.location?.line ?? 0): \($0.message)" })")
        engine = DetectionEngine(ruleSet: ruleSet, options: options)
    }

    mutating func feed(_ events: [String]) throws -> [Alert] {
        var alerts: [Alert] = []
        for json in events { alerts += engine.process(try Event(document: JSONDocument(parsing: json))) }
        return alerts
    }

    mutating func run(_ events: [String]) throws -> [Alert] {
        try feed(events) + engine.finish()
    }
}

extension DocumentLiteral {
    /// This mapping with `key` set to `value` (replaced where it is, else added at the end), in
    /// the mapping under `section` when one is named.
    func setting(_ key: String, _ value: DocumentLiteral, in section: String? = nil) -> DocumentLiteral {
        guard case .map(var entries) = self else { return self }
        if let section, let index = entries.firstIndex(where: { $0.key == section }) {
            entries[index].value = entries[index].value.setting(key, value)
        } else if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key: key, value: value))
        }
        return .map(entries)
    }
}

/// A login-ish event: `who` is the user email (nil: no actor), `ip` the source address.
func loginEvent(
    _ id: String, _ time: Int64, type: String = "login.failed", who: String? = "a@x", ip: String = "198.51.100.1",
    country: String = "DE", project: String? = nil
) -> String {
    var actor = "null"
    if let who {
        actor =
            #"{"type": "session", "session": {"user": {"id": "id-\#(who)", "email": "\#(who)"}, "ip_address": "\#(ip)", "ip_address_details": {"country": "\#(country)"}}}"#
    }
    let projectPart = project.map { #", "project": {"id": "\#($0)"}"# } ?? ""
    return #"{"id": "\#(id)", "type": "\#(type)", "effective_at": \#(time), "actor": \#(actor)\#(projectPart)}"#
}
