import AuditwatchCore
import AuditwatchYAML
import AuditwatchZones
import Foundation
import Testing

func loadRules(_ text: String, file: String = "rules.yml") -> RuleLoader.Loaded {
    RuleLoader(zones: ZoneDatabase()).load(text: text, file: file)
}

@Suite("Rule loading and diagnostics")
struct RuleLoaderTests {
    @Test("a valid rule loads with its metadata")
    func validRule() throws {
        let result = loadRules(
            """
            title: Failed login
            id: login_failed
            status: test
            description: A password was wrong.
            author: security
            tags: [attack.credential_access]
            falsepositives: [typos]
            level: low
            logsource: {product: openai, service: audit_log}
            summary: "failed login for {actor.email}"
            detection:
              sel: {type: login.failed}
              condition: sel
            """)
        #expect(result.diagnostics.isEmpty)
        let rule = try #require(result.rules.first?.rule)
        #expect(rule.id == "login_failed")
        #expect(rule.level == .low)
        #expect(rule.tags == ["attack.credential_access"])
        #expect(result.rules.first?.eventTypes == ["login.failed"])
    }

    @Test("one file with five different mistakes gives five located errors in one run")
    func fiveMistakes() throws {
        let text = """
            title: Broken
            id: broken
            levle: high
            detection:
              sel:
                type|containz: login
              other:
                actor.email|cidr: not-a-network
              words: {'|exists': true}
              condition: sel and missing
            ---
            title: No detection
            id: nodetect
            """
        let result = loadRules(text, file: "broken.yml")
        let errors = result.diagnostics.filter { $0.severity == .error }
        let messages = errors.map(\.message)
        #expect(errors.count >= 5, "\(messages)")
        #expect(
            messages.contains { $0.contains("unknown modifier 'containz'") && $0.contains("did you mean 'contains'") })
        #expect(messages.contains { $0.contains("not an IPv4 or IPv6 network") })
        #expect(messages.contains { $0.contains("'exists' cannot qualify a keyword") })
        #expect(messages.contains { $0.contains("no 'detection'") })
        #expect(errors.allSatisfy { $0.location?.file == "broken.yml" && ($0.location?.line ?? 0) > 0 })
        #expect(result.ruleSet == nil)
        // A near-miss of a known key is a warning (Sigma allows custom keys), with the suggestion.
        let levle = try #require(result.diagnostics.first { $0.message.contains("unknown key 'levle'") })
        #expect(levle.severity == .warning)
        #expect(levle.message.contains("did you mean 'level'"))
        #expect(levle.location == SourceLocation(file: "broken.yml", line: 3, column: 1))
        #expect(levle.ruleID == "broken")
    }

    @Test("the renderer quotes the line and puts a caret under the spot")
    func rendering() throws {
        let result = loadRules(
            "title: t\nid: r1\nlevel: hihg\ndetection:\n  sel: {type: x}\n  condition: sel\n", file: "r.yml")
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        let text = DiagnosticRenderer(sources: result.sources).text(error)
        #expect(
            text == """
                r.yml:3:8: error: unknown level 'hihg'; use one of informational, low, medium, high, critical; did you mean 'high'? [r1]
                    level: hihg
                           ^
                """)
        let json = DiagnosticRenderer(sources: result.sources).json(error)
        #expect(json.contains(#""file":"r.yml","line":3,"column":8"#))
        #expect(json.contains(#""rule":"r1""#))
    }

    @Test("a rule file saved with CRLF line ends quotes the right line")
    func crlfRendering() throws {
        let result = loadRules(
            "title: t\r\nid: r1\r\nlevel: hihg\r\ndetection:\r\n  sel: {type: x}\r\n  condition: sel\r\n", file: "r.yml"
        )
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        let text = DiagnosticRenderer(sources: result.sources).text(error)
        #expect(text.hasPrefix("r.yml:3:8: error: unknown level 'hihg'"))
        #expect(
            text.hasSuffix(
                """

                    level: hihg
                           ^
                """))
    }

    @Test("duplicate rule ids across files name both places")
    func duplicateIDs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aw-dup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rule = "title: t\nid: same\nlevel: low\ndetection:\n  sel: {type: x}\n  condition: sel\n"
        try rule.write(to: directory.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
        try ("# second\n" + rule).write(
            to: directory.appendingPathComponent("sub/b.yaml"), atomically: true, encoding: .utf8)
        try "not yaml rules".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = RuleLoader(zones: ZoneDatabase()).load([directory.path])
        #expect(result.files.count == 2)
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.message.contains("duplicate rule id 'same'"))
        #expect(error.message.contains("a.yml:1:1"))
        #expect(error.location?.file.hasSuffix("sub/b.yaml") == true)
        #expect(error.location?.line == 2)
    }

    @Test(
        "structural mistakes",
        arguments: [
            ("title: t\nid: r\ndetection:\n  sel: {type: x}\n", "missing 'condition'"),
            ("id: r\ndetection:\n  sel: {type: x}\n  condition: sel\n", "missing required key 'title'"),
            ("title: t\ndetection:\n  sel: {type: x}\n  condition: sel\n", "needs an 'id'"),
            (
                "title: t\nid: r\ndetection:\n  sel: {type: [a, null]}\n  condition: sel\n",
                "null must be its own selection entry"
            ),
            ("title: t\nid: r\ndetection:\n  sel: {type|all: a}\n  condition: sel\n", "'all' needs a list"),
            ("title: t\nid: r\ndetection:\n  sel: {type|re|cased: a}\n  condition: sel\n", "cannot be combined"),
            ("title: t\nid: r\ndetection:\n  sel: {n|gt: abc}\n  condition: sel\n", "needs a number"),
            ("title: t\nid: r\ndetection:\n  sel: {n|exists: maybe}\n  condition: sel\n", "takes true or false"),
            ("title: t\nid: r\ndetection:\n  sel: {type: x}\n  timeframe: 5m\n  condition: sel\n", "correlation rule"),
            (
                "title: t\nid: r\ndetection:\n  sel: {type: x}\n  condition: sel\nsummary: \"{alert.cnt}\"\n",
                "did you mean 'alert.count'"
            ),
            (
                "title: t\nid: r\ndetection:\n  sel: {type: x}\n  condition: sel\nsummary: \"{actor.email|shout}\"\n",
                "unknown summary filter"
            ),
            ("title: t\nid: r\nstatus: done\ndetection:\n  sel: {type: x}\n  condition: sel\n", "unknown status"),
            (
                "title: t\nid: r\ntitle: again\ndetection:\n  sel: {type: x}\n  condition: sel\n",
                "duplicate key 'title'"
            ),
            ("- just\n- a list\n", "must be a mapping"),
            (
                "title: t\nid: r\ndate: 26.11.2026\ndetection:\n  sel: {type: x}\n  condition: sel\n",
                "must be a date like"
            ),
            (
                "title: t\nid: r\nrelated: [{id: x, type: cousin}]\ndetection:\n  sel: {type: x}\n  condition: sel\n",
                "unknown relation 'cousin'"
            ),
            (
                "title: t\nid: r\ndetection:\n  sel: {actor.email|re: '(a+'}\n  condition: sel\n",
                "invalid regular expression"
            ),
            ("title: t\nid: r\ndetection:\n  sel: {actor.email|i: 'a'}\n  condition: sel\n", "only qualify 're'"),
            (
                "title: t\nid: r\ndetection:\n  sel: {actor.email|utf16le: 'a'}\n  condition: sel\n",
                "only works in front of base64"
            ),
        ])
    func structural(text: String, fragment: String) {
        let result = loadRules(text)
        #expect(
            result.diagnostics.contains { $0.severity == .error && $0.message.contains(fragment) },
            "\(result.diagnostics.map(\.message))")
        #expect(result.ruleSet == nil)
    }

    @Test("a dangling selection is a warning, not an error")
    func danglingSelection() {
        let result = loadRules(
            "title: t\nid: r\nlevel: low\ndetection:\n  sel: {type: x}\n  unused: {type: y}\n  condition: sel\n")
        #expect(result.ruleSet != nil)
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("'unused' is not used") })
    }

    @Test("schema lint: undocumented types and fields are warnings with suggestions")
    func schemaLint() {
        let result = loadRules(
            "title: t\nid: r\nlevel: low\nlogsource: {product: openai, service: audit_log}\ndetection:\n  sel:\n    type: login.faild\n    actor.sesion.ip_address: 1.2.3.4\n    api_key.created.data.scopes: x\n    details.error_code: y\n  condition: sel\n"
        )
        let warnings = result.diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(result.ruleSet != nil)
        #expect(
            warnings.contains {
                $0.contains("'login.faild' matches no documented event type; did you mean 'login.failed'")
            })
        #expect(
            warnings.contains {
                $0.contains(
                    "no documented event type carries 'actor.sesion.ip_address'; did you mean 'actor.session.ip_address'"
                )
            })
        #expect(warnings.count == 2, "\(warnings)")
    }

    @Test("tags outside Sigma's form are a warning")
    func tagLint() {
        let result = loadRules(
            "title: t\nid: r\nlevel: low\ntags: [attack.t1078, 'Bad Tag']\ndetection:\n  sel: {type: login.failed}\n  condition: sel\n"
        )
        #expect(
            result.diagnostics.contains {
                $0.severity == .warning && $0.message.contains("tag 'Bad Tag'") && $0.location?.line == 4
            })
    }

    @Test("a rule for another log source loads but does not run")
    func otherLogSource() {
        let result = loadRules(
            "title: t\nid: r\nlevel: low\nlogsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 4625}\n  condition: sel\n"
        )
        #expect(result.ruleSet?.rules.isEmpty == true)
        #expect(result.skipped.map(\.id) == ["r"])
        #expect(result.diagnostics.contains { $0.severity == .note })
    }

    @Test("documents this version cannot run are errors, never silently dropped")
    func unsupportedDocuments() {
        let result = loadRules("title: c\ncorrelation:\n  type: event_count\n  rules: [r]\n")
        #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains("correlation") })
    }
}
