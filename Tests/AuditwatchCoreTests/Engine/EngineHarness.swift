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

/// An engine over the base rules and one correlation.
struct Harness {
    var engine: DetectionEngine

    init(_ correlation: DocumentLiteral, options: EngineOptions = EngineOptions()) throws {
        let result = assemble(baseRuleDocuments + [correlation])
        let ruleSet = try #require(
            result.ruleSet, "\(result.diagnostics.map { "\($0.location?.line ?? 0): \($0.message)" })")
        engine = DetectionEngine(ruleSet: ruleSet, options: options)
    }

    mutating func feed(_ events: [String]) throws -> [Alert] {
        var alerts: [Alert] = []
        for json in events { alerts += engine.process(try Event(document: JSONDocument(parsing: json))) }
        return alerts
    }
}

/// A login-ish event: `who` is the user email (nil: no actor), `ip` the source address.
func loginEvent(
    _ id: String, _ time: Int64, type: String = "login.failed", who: String? = "a@x", ip: String = "198.51.100.1"
) -> String {
    var actor = "null"
    if let who {
        actor =
            #"{"type": "session", "session": {"user": {"id": "id-\#(who)", "email": "\#(who)"}, "ip_address": "\#(ip)"}}"#
    }
    return #"{"id": "\#(id)", "type": "\#(type)", "effective_at": \#(time), "actor": \#(actor)}"#
}
