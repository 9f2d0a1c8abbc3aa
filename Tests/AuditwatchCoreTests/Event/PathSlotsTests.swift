import Testing

@testable import AuditwatchCore

/// The slot table shares the objects common leading segments reach (`PathPrefixes`); whatever
/// order the paths are read in, every slot must hold what resolving its path alone gives —
/// with dotted keys (`"actor.session"`, `"user.email"`), escaped keys, arrays and scalars on the way.
@Suite("Slot table: shared prefixes resolve as each path alone")
struct PathSlotsTests {
    static let paths = [
        "actor.session.user.email", "actor.session.user.id", "actor.session", "actor.session.ip_address",
        "[actor.session].ip_address", "actor.session.user", "actor.session.ja3", "project.id", "project.name",
        "details.id", "actor.email", "actor.id", "actor.ip", "actor.type", "type", "a.b.c.d", "a.b", "a.b.c",
        "a.[b.c].d", "tags.x",
    ]

    static let events = [
        // Plain: every shared prefix is unambiguous.
        #"{"id":"1","type":"t.x","effective_at":1,"actor":{"type":"session","session":{"user":{"id":"u1","#
            + #""email":"e1"},"ip_address":"10.0.0.1","ja3":"j1"}},"project":{"id":"p1","name":"n1"},"t.x":{"id":"d1"}}"#,
        // A dotted key below a prefix: `user.email` beside `user`.
        #"{"id":"2","type":"t","effective_at":1,"actor":{"session":{"user.email":"spoof","user":{"id":"u2","#
            + #""email":"e2"},"ip_address":"10.0.0.2"}}}"#,
        // Dotted keys at the root, before and after the plain ones.
        #"{"id":"3","type":"t","effective_at":1,"actor.session":{"ip_address":"10.9.9.9"},"actor":{"session":{"#
            + #""ip_address":"10.0.0.3","user":{"email":"e3"}}},"actor.session.user":{"id":"u3"}}"#,
        #"{"id":"4","type":"t","effective_at":1,"actor":{"session":{"ja3":"j4"}},"actor.session.ja3":"root-j4"}"#,
        // Escaped keys, one of them decoding to a dotted key.
        #"{"id":"5","type":"t","effective_at":1,"act\u006fr.session":{"ja3":"escaped"},"actor":{"session":{"#
            + #""ja3":"j5","\u0075ser":{"id":"u5"}}},"pr\u006fject":{"id":"p5"}}"#,
        // Arrays and scalars where objects were; keys that only start like a segment.
        #"{"id":"6","type":"t","effective_at":1,"actor":[{"session":{"ja3":"j6"}}],"actors":{"x":1},"#
            + #""project":"flat","a":{"b":{"c":{"d":"abcd"}},"b.c":{"d":"a-bc-d"}},"tags":[{"x":1},{"x":2}]}"#,
        #"{"id":"7","type":"t","effective_at":1,"a":{"b.c.d":"long","b":{"c":null}},"actor":{"session":null}}"#,
        #"{"id":"8","type":"t","effective_at":1,"a.b":{"c":{"d":"ab-c-d"}},"a":{"b":{"c":{"d":"plain"}}}}"#,
        // Derived fields: their alternatives share the prefixes too.
        #"{"id":"9","type":"t","effective_at":1,"actor":{"type":"api_key","api_key":{"id":"k9","type":"user","#
            + #""user":{"id":"u9","email":"e9"}}}}"#,
        #"{"id":"10","type":"t","effective_at":1,"actor":{"api_key.user":{"email":"dotted"},"api_key":{"#
            + #""service_account":{"id":"s10"},"user":{"email":"e10"}}}}"#,
        #"{"id":"11","type":"t","effective_at":1,"actor":{"email":"literal","session":{"ip_address":"10.1.1.1"}}}"#,
    ]

    @Test("each event, paths read in several orders: every slot equals resolve(path)")
    func sharedPrefixes() throws {
        let paths = try Self.paths.map { try FieldPath($0) }
        let prefixes = PathPrefixes(paths)
        // actor, actor.session, actor.session.user, [actor.session], project, details, a, a.b, a.b.c,
        // a.[b.c], tags, and from the derived fields actor.api_key, …user, …service_account.
        #expect(prefixes.count == 14)
        var orders = [Array(paths.indices), Array(paths.indices.reversed())]
        var state: UInt64 = 17
        for _ in 0..<6 {
            var order = Array(paths.indices)
            for index in order.indices.reversed() {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                order.swapAt(index, Int((state >> 33) % UInt64(index + 1)))
            }
            orders.append(order)
        }
        var shared = 0
        for line in Self.events {
            let event = try Event(document: try JSONDocument(parsing: line))
            for order in orders {
                event.withView { view in
                    PathSlots.with(count: paths.count, prefixes: prefixes) { slots in
                        for slot in order {
                            let expected = view.resolve(paths[slot])
                            #expect(slots.node(slot, paths[slot], view) == expected, "\(paths[slot]) in \(line)")
                        }
                        for number in 0..<prefixes.count where slots.prefixNodes[number] != PathSlots.unresolved {
                            shared += 1
                        }
                    }
                }
            }
        }
        // Prefixes were shared (the test would compare only unshared walks otherwise).
        #expect(shared > 100, "\(shared) shared prefixes")
    }
}
