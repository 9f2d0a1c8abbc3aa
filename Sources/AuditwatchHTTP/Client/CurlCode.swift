import AuditwatchCore

/// What libcurl's `CURLcode`s mean to auditwatch: the one list of those worth retrying.
enum CurlCode {
    /// `CURLE_ABORTED_BY_CALLBACK`: `HTTPClient.abortWhen` stopped the transfer.
    static let aborted = 42
    /// Connection-level failures worth retrying: resolve (6), connect (7), timeout (28), TLS connect (35),
    /// empty reply (52), send (55), receive (56).
    static let transient: Set<Int> = [6, 7, 28, 35, 52, 55, 56]

    /// The transport error for libcurl's `code`.
    static func error(_ code: Int, message: String) -> HTTPError {
        HTTPError(code: code, message: message, isTransient: transient.contains(code), aborted: code == aborted)
    }
}
