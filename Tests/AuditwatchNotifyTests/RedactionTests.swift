import AuditwatchConfig
import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

@testable import AuditwatchNotify

@Suite("No secret ever printed: every encoding of every secret", .serialized)
struct RedactionTests {
    @Test(
        "a target that echoes the URL JSON-escaped, percent-encoded and as Basic auth leaks nothing into last_error or logs"
    )
    func echoingTarget() throws {
        let server = try LoopbackHTTPServer { request, _ in
            let path = request.target
            let escaped = path.replacingOccurrences(of: "/", with: "\\/")
            let percent = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let auth = request.headers["authorization"] ?? ""
            return .respond(
                status: 400, body: #"{"error":"no hook \#(escaped)","was":"\#(percent)","auth":"\#(auth)"}"#)
        }
        defer { server.stop() }
        let path = try makeTemporaryDirectory("aw-echo").appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.checkpoint(state: EngineState(), position: nil, alerts: [sampleAlert("r1")], sinks: ["hook"])
        let url =
            server.baseURL.replacingOccurrences(of: "http://", with: "http://ops:Pa55w0rdSecret@")
            + "/hooks/T0SECRET/xoxSuperSecretToken?sig=QuerySecretSig"
        let (built, _, config) = try clients(
            "notifiers:\n  hook: {type: slack, url: \"${URL}\"}\n", environment: ["URL": url])
        var logs: [String] = []
        let worker = DeliveryWorker(
            store: store, clients: built, backoff: config.backoff, clock: { 1_800_000_000 }, sleep: { _ in },
            random: { 0.5 }, log: { logs.append($0) })
        try worker.deliverDue()
        #expect(
            server.requests.first?.headers["authorization"]?.hasPrefix("Basic ") == true,
            "libcurl sent the URL's credentials")
        let stored = try store.alerts(status: .failed).first?.lastError ?? ""
        let everything = logs.joined(separator: "\n") + "\n" + stored
        #expect(everything.contains("<redacted>"), "\(everything)")
        for secret in [
            "xoxSuperSecretToken", "T0SECRET", "QuerySecretSig", "Pa55w0rdSecret",
            Data("ops:Pa55w0rdSecret".utf8).base64EncodedString(),
        ] {
            #expect(!everything.contains(secret), "\(secret) leaked: \(everything)")
        }
    }

    @Test("every form of a secret is found", arguments: ["raw", "json", "percent", "base64"])
    func forms(form: String) {
        var redactor = Redactor()
        redactor.add(Secret("https://hooks.example/services/T1/B2/ab+cd/ef"))
        let secret = "/services/T1/B2/ab+cd/ef"
        let text: String =
            switch form {
            case "raw": "x " + secret
            case "json": "x " + secret.replacingOccurrences(of: "/", with: "\\/")
            case "percent": "x " + (secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            default: "x " + Data("https://hooks.example/services/T1/B2/ab+cd/ef".utf8).base64EncodedString()
            }
        #expect(redactor.redact(text) == "x <redacted>", "\(form): \(redactor.redact(text))")
    }
}
