/// An outbound HTTP request.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: Method = .get, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What the server answered.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased, in the order received (last response of the exchange only).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds the server asked to wait (`Retry-After`, as seconds or an HTTP date), if any.
    public var retryAfter: Int?

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A transfer that did not produce an HTTP response.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// libcurl's `CURLcode`.
    public var code: Int
    /// libcurl's words for it. Never contains the URL, which may hold a secret.
    public var message: String

    public var description: String { "HTTP transfer failed: \(message) (curl code \(code))" }

    /// `CURLE_ABORTED_BY_CALLBACK`: `HTTPClient.abortWhen` stopped the transfer.
    public static let abortedCode = 42
    /// Whether the transfer was stopped on purpose, not failed: nothing is known of its outcome.
    public var aborted: Bool { code == HTTPError.abortedCode }

    /// Connection-level failures worth retrying: resolve, connect, timeout, TLS connect, empty reply, send, receive.
    public var isTransient: Bool { [6, 7, 28, 35, 52, 55, 56].contains(code) }
}
