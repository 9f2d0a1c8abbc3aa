import Testing

@testable import AuditwatchCore

/// The spec's example events (`shared/docs/openai-audit-log-examples.json`), embedded.
let specExamples = #"""
    [
      {"id": "audit_log-xxx_yyyymmdd", "type": "project.archived", "effective_at": 1722461446,
       "actor": {"type": "api_key", "api_key": {"type": "user", "user": {"id": "user-xxx", "email": "user@example.com"}}},
       "project.archived": {"id": "proj_abc"}},
      {"id": "audit_log-yyy__20240101", "type": "api_key.updated", "effective_at": 1720804190,
       "actor": {"type": "session", "session": {"user": {"id": "user-xxx", "email": "user@example.com"}, "ip_address": "127.0.0.1",
         "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "ja3": "a497151ce4338a12c4418c44d375173e", "ja4": "q13d0313h3_55b375c5d22e_c7319ce65786",
         "ip_address_details": {"country": "US", "city": "San Francisco", "region": "California", "region_code": "CA", "asn": "1234", "latitude": "37.77490", "longitude": "-122.41940"}}},
       "api_key.updated": {"id": "key_xxxx", "data": {"scopes": ["resource_2.operation_2"]}}},
      {"id": "req_xxx_20240101", "type": "api_key.created", "effective_at": 1720804090,
       "actor": {"type": "session", "session": {"user": {"id": "user-xxx", "email": "user@example.com"}, "ip_address": "127.0.0.1", "user_agent": "Mozilla/5.0"}},
       "api_key.created": {"id": "key_xxxx", "data": {"scopes": ["resource.operation"]}}}
    ]
    """#

func events(_ json: String) throws -> [Event] {
    let document = try JSONDocument(parsing: json)
    if document.kind(0) == .array { return try document.elements(0).map { try Event(document: document, root: $0) } }
    return [try Event(document: document)]
}

func event(_ json: String) throws -> Event { try events(json)[0] }

@Suite("Event model and field paths")
struct EventTests {
    @Test("required fields are read from the spec's examples")
    func requiredFields() throws {
        let all = try events(specExamples)
        #expect(all.map(\.id) == ["audit_log-xxx_yyyymmdd", "audit_log-yyy__20240101", "req_xxx_20240101"])
        #expect(all.map(\.type) == ["project.archived", "api_key.updated", "api_key.created"])
        #expect(all.map(\.effectiveAt) == [1722461446, 1720804190, 1720804090])
    }

    @Test("every leaf of the spec's examples is reachable by its dotted path")
    func everyLeafReachable() throws {
        for event in try events(specExamples) {
            var leaves: [(String, Int)] = []
            collectLeaves(event.document, event.root, prefix: "", into: &leaves)
            #expect(leaves.count > 3)
            for (path, node) in leaves {
                let compiled = try FieldPath(path)
                var reached: [Int] = []
                event.forEachValue(compiled) {
                    reached.append($0); return false
                }
                #expect(reached.first == node, "\(path) in \(event.id)")
            }
        }
    }

    @Test(
        "dotted keys: the longest literal key wins at each level",
        arguments: [
            ("project.archived.id", "proj_abc"),
            ("[project.archived].id", "proj_abc"),
            ("project.id", "proj_1"),
            ("project.name", "Alpha"),
            ("a.b.c", "literal a.b.c"),
            ("a.b.d", "nested d"),
        ])
    func dottedKeys(path: String, expected: String) throws {
        let json = #"""
            {"id": "e1", "type": "project.archived", "effective_at": 1,
             "project": {"id": "proj_1", "name": "Alpha"},
             "project.archived": {"id": "proj_abc"},
             "a.b.c": "literal a.b.c", "a": {"b": {"d": "nested d"}}}
            """#
        #expect(try event(json).text(FieldPath(path)) == expected)
    }

    @Test(
        "derived fields read the same across actor kinds",
        arguments: [
            ("session", "actor.email", "s@example.com"), ("session", "actor.id", "user-s"),
            ("session", "actor.ip", "198.51.100.7"),
            ("user_key", "actor.email", "k@example.com"), ("user_key", "actor.id", "user-k"),
            ("user_key", "actor.ip", nil),
            ("service_key", "actor.email", nil), ("service_key", "actor.id", "svc_1"),
            ("bare_key", "actor.id", "key_9"),
        ] as [(String, String, String?)])
    func derivedActor(kind: String, path: String, expected: String?) throws {
        let actors = [
            "session":
                #"{"type": "session", "session": {"user": {"id": "user-s", "email": "s@example.com"}, "ip_address": "198.51.100.7"}}"#,
            "user_key":
                #"{"type": "api_key", "api_key": {"id": "key_1", "type": "user", "user": {"id": "user-k", "email": "k@example.com"}}}"#,
            "service_key":
                #"{"type": "api_key", "api_key": {"id": "key_2", "type": "service_account", "service_account": {"id": "svc_1"}}}"#,
            "bare_key": #"{"type": "api_key", "api_key": {"id": "key_9"}}"#,
        ]
        let json = #"{"id": "e", "type": "login.succeeded", "effective_at": 1, "actor": \#(actors[kind]!)}"#
        #expect(try event(json).text(FieldPath(path)) == expected)
    }

    @Test("a literal key beats a derived field")
    func literalBeatsDerived() throws {
        let json =
            #"{"id": "e", "type": "x", "effective_at": 1, "actor": {"email": "literal@example.com", "session": {"user": {"email": "derived@example.com"}}}}"#
        #expect(try event(json).text(FieldPath("actor.email")) == "literal@example.com")
    }

    @Test("details is the detail object of the event's own type, or a literal details key")
    func details() throws {
        let typed = try event(
            #"{"id": "e", "type": "login.failed", "effective_at": 1, "login.failed": {"error_code": "invalid_password"}}"#
        )
        #expect(typed.text(try FieldPath("details.error_code")) == "invalid_password")
        let literal = try event(
            #"{"id": "e", "type": "role.bound_to_resource", "effective_at": 1, "details": {"id": "r1"}}"#)
        #expect(literal.text(try FieldPath("details.id")) == "r1")
        let none = try event(#"{"id": "e", "type": "tunnel.created", "effective_at": 1}"#)
        #expect(none.firstValue(try FieldPath("details.id")) == nil)
    }

    @Test("arrays on the way are entered element by element")
    func arraysOnTheWay() throws {
        let json =
            #"{"id": "e", "type": "ip_allowlist.config.activated", "effective_at": 1, "ip_allowlist.config.activated": {"configs": [{"id": "c1"}, {"id": "c2"}]}}"#
        var ids: [String] = []
        let sample = try event(json)
        sample.forEachValue(try FieldPath("details.configs.id")) {
            ids.append(sample.document.text($0)!); return false
        }
        #expect(ids == ["c1", "c2"])
    }

    @Test("unknown types and fields are kept and readable")
    func unknownKept() throws {
        let sample = try event(
            #"{"id": "e", "type": "brand_new.thing", "effective_at": 1, "object": "organization.audit_log", "brand_new.thing": {"x": {"y": 5}}}"#
        )
        #expect(sample.type == "brand_new.thing")
        #expect(sample.text(try FieldPath("object")) == "organization.audit_log")
        #expect(sample.text(try FieldPath("brand_new.thing.x.y")) == "5")
        #expect(sample.firstValue(try FieldPath("missing.field")) == nil)
    }

    @Test(
        "events without required fields are rejected with the field named",
        arguments: [
            (#"{"type": "x", "effective_at": 1}"#, #"no "id""#),
            (#"{"id": "e", "effective_at": 1}"#, #"no "type""#),
            (#"{"id": "e", "type": "x"}"#, #"no "effective_at""#),
            (#"{"id": 5, "type": "x", "effective_at": 1}"#, #""id" must be a string"#),
            (#"{"id": "e", "type": "x", "effective_at": "2024-01-01"}"#, "Unix seconds"),
            (#"[1]"#, "must be a JSON object"),
        ])
    func missingRequired(json: String, fragment: String) throws {
        let document = try JSONDocument(parsing: json)
        let error = #expect(throws: EventError.self) { try Event(document: document) }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test("bad field paths are rejected", arguments: ["", "a..b", ".a", "a.", "[a.b", "[a]b"])
    func badPaths(path: String) {
        #expect(throws: FieldPathError.self) { try FieldPath(path) }
    }

    private func collectLeaves(
        _ document: JSONDocument, _ node: Int, prefix: String, into leaves: inout [(String, Int)]
    ) {
        switch document.kind(node) {
        case .object:
            for member in document.members(node) {
                let key = document.text(member.key)!
                collectLeaves(document, member.value, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &leaves)
            }
        default:
            leaves.append((prefix, node))
        }
    }
}
