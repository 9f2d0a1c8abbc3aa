import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones

/// What the targets share: the shipped rule pack and a few sample events, built once.
enum FuzzFixtures {
    /// The repository's root, found from this file's place in it (Fuzz/Sources/…).
    static let repositoryRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(5)  // Support/FuzzFixtures.swift, AuditwatchFuzzTargets, Sources, Fuzz
        return parts.joined(separator: "/")
    }()

    /// The shipped rules (`rules/`), compiled; events are matched against them.
    static let shippedRules: RuleSet = {
        let loaded = RuleLoader(zones: ZoneDatabase()).load([repositoryRoot + "/rules"])
        guard let ruleSet = loaded.ruleSet else {
            preconditionFailure("the shipped rules under \(repositoryRoot)/rules do not load")
        }
        return ruleSet
    }()

    /// Events of the documented shapes that fuzzed rules are matched against.
    static let sampleEvents: [Event] = [
        #"""
        {"id": "audit_log-1", "type": "login.failed", "effective_at": 1720000000,
         "actor": {"type": "session", "session": {
           "user": {"id": "user-1", "email": "eve@example.com"},
           "ip_address": "203.0.113.9", "user_agent": "curl/8.5",
           "ip_address_details": {"country": "DE", "city": "Berlin", "region": "BE", "asn": "3320"}}},
         "login.failed": {"error_code": "invalid_password", "error_message": "Wrong password"}}
        """#,
        #"""
        {"id": "audit_log-2", "type": "api_key.created", "effective_at": 1720003600,
         "project": {"id": "proj_1", "name": "Main"},
         "actor": {"type": "api_key", "api_key": {"id": "key_1", "type": "service_account",
                                                  "service_account": {"id": "svc_1"}}},
         "api_key.created": {"id": "key_2", "data": {"scopes": ["api.model.read", "api.model.request"]}}}
        """#,
        #"""
        {"id": "audit_log-3", "type": "invite.sent", "effective_at": 1720007200,
         "actor": {"type": "session", "session": {"user": {"id": "user-2", "email": "ÄDMIN@exämple.org"},
                                                  "ip_address": "2001:db8::1"}},
         "invite.sent": {"id": "invite-1", "data": {"email": "x@gmail.com", "role": "owner"}},
         "tags": [1, 2.5, -3e2, null, true, false, "a\u0000b"]}
        """#,
    ].map { text in
        do { return try Event(document: try JSONDocument(parsing: text)) } catch {
            preconditionFailure("a sample event does not parse: \(text)")
        }
    }
}
