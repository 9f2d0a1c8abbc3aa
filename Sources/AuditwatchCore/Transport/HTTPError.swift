/// A transfer that did not produce an HTTP response.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The transport's own code for the failure (libcurl's `CURLcode` for the libcurl client).
    public var code: Int
    /// The transport's words for it. Never contains the URL, which may hold a secret.
    public var message: String
    /// A connection-level failure worth retrying (resolve, connect, timeout, TLS, empty reply, send,
    /// receive): the transport knows which of its codes these are.
    public var isTransient: Bool
    /// The transfer was stopped on purpose (`HTTPTransport.abortWhen`), not failed: nothing is
    /// known of its outcome.
    public var aborted: Bool

    public init(code: Int, message: String, isTransient: Bool = false, aborted: Bool = false) {
        self.code = code
        self.message = message
        self.isTransient = isTransient
        self.aborted = aborted
    }

    // The wording predates the transport protocol; logs and delivery records keep it.
    public var description: String { "HTTP transfer failed: \(message) (curl code \(code))" }
}
