import AuditwatchApp
import AuditwatchConfig
import AuditwatchService
import AuditwatchTestSupport
import Foundation
import Testing

@Suite("The service's redaction knows every secret of its config")
struct ServiceRedactionTests {
    @Test("server.token and state_password are redacted from log lines like the notifiers' secrets")
    func tokenAndPassword() throws {
        // The throwaway server trusts loopback: libpq is handed the password and the server
        // never asks for it, which is all this needs (the password reaches the redactor).
        let server = try PostgresServer()
        defer { server.stop() }
        let url = try server.createDatabase()
        let directory = try makeTemporaryDirectory("aw-redaction")
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = "console-token-7f3a9c", password = "pg-password-91be"
        let tokenFile = directory.appendingPathComponent("token").path
        let passwordFile = directory.appendingPathComponent("password").path
        try token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("auditwatch.yml").path
        try """
        rules: [\(Repository.path("rules"))]
        state: \(url)
        server: {listen: "127.0.0.1:0", token: {file: \(tokenFile)}}
        state_password: {file: \(passwordFile)}
        notifiers:
          soc: {type: webhook, url: "http://127.0.0.1:9/soc"}
        default_notifiers: [soc]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let parts = try ConfiguredService.load(config, sink: CapturedSink().sink, log: { _ in })
        let line = "request with Bearer \(token) and password=\(password) failed"
        let redacted = parts.redactor.redact(line)
        #expect(!redacted.contains(token), "\(redacted)")
        #expect(!redacted.contains(password), "\(redacted)")
        #expect(redacted.contains("<redacted>"))
    }
}
