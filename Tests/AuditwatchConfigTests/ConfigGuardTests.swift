import AuditwatchConfig
import AuditwatchCore
import AuditwatchTestSupport
import Foundation
import Testing

@Suite("Guards on risky configuration")
struct ConfigGuardTests {
    private func diagnostics(_ yaml: String, _ environment: [String: String]) throws -> [Diagnostic] {
        let directory = try makeTemporaryDirectory("aw-guard")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auditwatch.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = ConfigLoader.load(path)
        let config = try #require(loaded.config, "\(loaded.diagnostics.map(\.message))")
        return loaded.diagnostics
            + NotifierSettings.resolve(config, resolver: SecretResolver(environment: environment)).diagnostics
    }

    @Test(
        "a Standard Webhooks secret shorter than 24 bytes is an error; 24 bytes is fine",
        arguments: [
            ("whsec_", true), ("whsec_c2hvcnQ=", true), ("whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG0=", true),
            ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false),
        ])
    func shortSecret(secret: String, refused: Bool) throws {
        let found = try diagnostics(
            "notifiers:\n  siem: {type: webhook, url: \"https://siem.example/h\", secret: \"${S}\"}\n", ["S": secret])
        let errors = found.filter { $0.severity == .error }.map(\.message)
        #expect(
            errors.contains {
                $0.contains("Standard Webhooks secrets are 24 to 64 random bytes") || $0.contains("is not whsec_")
            } == refused, "\(errors)")
        #expect(!errors.joined().contains(secret.dropFirst(6)) || secret == "whsec_", "the secret is never shown")
    }

    @Test("plain http to another machine is a warning, for notifiers and sources; loopback is not")
    func plainHTTP() throws {
        let found = try diagnostics(
            """
            sources:
              far: {admin_key: "${K}", base_url: "http://audit.example.com/v1"}
              near: {admin_key: "${K}", base_url: "http://127.0.0.1:8080/v1"}
            notifiers:
              siem: {type: webhook, url: "http://siem.example.com/h"}
              local: {type: webhook, url: "http://localhost:9000/h"}
              v6: {type: webhook, url: "http://[::1]:9000/h"}
              safe: {type: webhook, url: "https://siem.example.com/h"}
            default_notifiers: [siem]
            """, [:])
        let warnings = found.filter { $0.severity == .warning }.map(\.message)
        #expect(
            warnings.contains {
                $0.contains("source 'far' reads the audit log over plain http from audit.example.com")
            }, "\(warnings)")
        #expect(
            warnings.contains { $0.contains("notifier 'siem' sends alerts over plain http to siem.example.com") },
            "\(warnings)")
        #expect(warnings.filter { $0.contains("plain http") }.count == 2, "loopback and https are fine: \(warnings)")
    }

    @Test(
        "the loopback test recognises every loopback spelling",
        arguments: [
            ("http://127.0.0.1/", nil), ("http://127.8.9.10:80/x", nil), ("http://localhost", nil),
            ("http://[::1]:1/", nil),
            ("http://user@127.0.0.1/", nil), ("https://example.com", nil), ("http://10.0.0.1/", "10.0.0.1"),
            ("http://127.0.0.1.example.com/", "127.0.0.1.example.com"), ("HTTP://Example.com/", "Example.com"),
        ] as [(String, String?)])
    func loopback(url: String, host: String?) {
        #expect(PlainHTTP.nonLoopbackHost(url) == host)
    }
}
