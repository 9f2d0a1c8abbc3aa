public import AuditwatchCore

/// An `HTTPTransport` that answers from memory: the second conformance, which shows polling and
/// delivery depend on the protocol and not on libcurl. `answer` gets each request and its number
/// (from 0); every request is kept.
public final class InMemoryTransport: HTTPTransport {
    public var abortWhen: (@Sendable () -> Bool)?
    public private(set) var requests: [HTTPRequest] = []
    private let answer: (HTTPRequest, Int) -> Result<HTTPResponse, HTTPError>

    public init(answer: @escaping (HTTPRequest, Int) -> Result<HTTPResponse, HTTPError>) {
        self.answer = answer
    }

    public func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        if let abortWhen, abortWhen() { throw HTTPError(code: -1, message: "aborted", aborted: true) }
        requests.append(request)
        return try answer(request, requests.count - 1).get()
    }
}
