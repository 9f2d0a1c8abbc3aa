import AuditwatchCore
import AuditwatchHTTP
import AuditwatchTestSupport
import Testing

@Suite("HTTP client over libcurl, against a loopback server")
struct HTTPClientTests {
    @Test("POST sends the body and headers; status, headers and body come back")
    func postRoundTrip() throws {
        let server = try LoopbackHTTPServer { request, _ in
            .respond(
                status: 201, headers: [("X-Echo", request.headers["x-token"] ?? "")],
                body: "got \(request.body.count) bytes")
        }
        defer { server.stop() }
        let client = try HTTPClient()
        let response = try client.perform(
            HTTPRequest(
                method: .post, url: server.baseURL + "/hook?x=1",
                headers: [(name: "Content-Type", value: "application/json"), (name: "X-Token", value: "abc")],
                body: Array("{\"a\":1}".utf8)))
        #expect(response.status == 201)
        #expect(response.header("X-Echo") == "abc")
        #expect(response.bodyText == "got 7 bytes")
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.target == "/hook?x=1")
        #expect(received.bodyText == "{\"a\":1}")
        #expect(received.headers["content-type"] == "application/json")
        #expect(received.headers["expect"] == nil)
    }

    @Test("Retry-After is read from a 429, and a redirect is not followed")
    func retryAfterAndRedirects() throws {
        let server = try LoopbackHTTPServer { request, _ in
            request.target == "/limited"
                ? .respond(status: 429, headers: [("Retry-After", "7")], body: "slow down")
                : .respond(status: 302, headers: [("Location", "/elsewhere")])
        }
        defer { server.stop() }
        let client = try HTTPClient()
        let limited = try client.perform(HTTPRequest(url: server.baseURL + "/limited"))
        #expect(limited.status == 429)
        #expect(limited.retryAfter == 7)
        let redirected = try client.perform(HTTPRequest(url: server.baseURL + "/moved"))
        #expect(redirected.status == 302)
        #expect(server.requests.map(\.target) == ["/limited", "/moved"])
    }

    @Test("a dropped connection is a transient error whose message hides the URL")
    func droppedConnection() throws {
        let server = try LoopbackHTTPServer { _, _ in .drop }
        defer { server.stop() }
        let client = try HTTPClient()
        do {
            _ = try client.perform(HTTPRequest(url: server.baseURL + "/secret-token-path"))
            Issue.record("expected a transfer error")
        } catch {
            #expect(error.isTransient)
            #expect(!error.description.contains("secret-token-path"))
        }
    }

    @Test("protocols other than http and https are refused")
    func otherProtocolsRefused() throws {
        let client = try HTTPClient()
        #expect(throws: HTTPError.self) { try client.perform(HTTPRequest(url: "file:///etc/passwd")) }
    }
}
