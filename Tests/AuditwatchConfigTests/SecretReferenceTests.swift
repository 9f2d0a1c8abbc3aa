import AuditwatchConfig
import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

@Suite("Secret references: one reader for sources and notifiers, one resolver")
struct SecretReferenceTests {
    private func load(_ yaml: String) throws -> (config: ServiceConfig?, diagnostics: [Diagnostic]) {
        let directory = try makeTemporaryDirectory("aw-secrets")
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = ConfigLoader.load(path)
        return (loaded.config, loaded.diagnostics)
    }

    @Test("${NAME}, {env: NAME} and {file: PATH} read the same for an admin key and a notifier secret")
    func shapes() throws {
        let loaded = try load(
            """
            sources:
              one: {admin_key: "${KEY_ONE}"}
              two: {admin_key: {env: KEY_TWO}}
              three: {admin_key: {file: /run/secrets/key}}
            notifiers:
              chat: {type: slack, url: "${SLACK_URL}"}
              hook: {type: webhook, url: https://siem.example/in, secret: {file: /run/secrets/whsec}}
            """)
        let config = try #require(loaded.config, "\(loaded.diagnostics.map(\.message))")
        #expect(
            config.sources.map(\.adminKey) == [
                .environment("KEY_ONE"), .environment("KEY_TWO"), .file("/run/secrets/key"),
            ])
        #expect(config.notifiers.map(\.url) == [.environment("SLACK_URL"), .literal("https://siem.example/in")])
        #expect(config.notifiers[1].signingSecret == .file("/run/secrets/whsec"))
    }

    @Test("a credential written in the file is refused without showing its line; an empty reference is refused")
    func refusals() throws {
        let loaded = try load(
            """
            sources:
              inline: {admin_key: sk-admin-LEAKED}
              empty: {admin_key: {}}
            notifiers:
              chat: {type: slack, url: https://hooks.slack.com/services/LEAKED}
            """)
        let messages = loaded.diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("'admin_key' is a credential: write ${OPENAI_ADMIN_KEY}") })
        #expect(messages.contains("'admin_key' needs {env: NAME} or {file: PATH}"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("'url' of a slack notifier is a credential") })
        #expect(loaded.diagnostics.filter { $0.message.contains("credential") }.allSatisfy { $0.hidesSource })
        #expect(!messages.joined().contains("LEAKED"))
    }

    @Test("the resolver names the reference, never a value")
    func resolver() throws {
        let loaded = try load("sources:\n  org: {admin_key: \"${MISSING_KEY}\"}\n")
        let source = try #require(loaded.config?.sources.first)
        switch SecretResolver(environment: [:]).adminKey(of: source) {
        case .success: Issue.record("an unset variable resolved")
        case .failure(let problem):
            #expect(
                problem.message
                    == "the admin key of source 'org' comes from environment variable MISSING_KEY, which is not set")
        }
        guard case .success(let key) = SecretResolver(environment: ["MISSING_KEY": "sk-admin-x"]).adminKey(of: source)
        else {
            Issue.record("a set variable did not resolve")
            return
        }
        #expect(key.value == "sk-admin-x" && "\(key)" == "<redacted>")
    }
}
