/// One HTTP exchange at a time: what polling and delivery need of the network. The libcurl
/// client (`AuditwatchHTTP`) is the tool's conformance; tests may bring one that answers from memory.
///
/// A transport is used by one thread at a time (each poller and each delivery lane has its own).
public protocol HTTPTransport: AnyObject {
    /// Asked during a transfer (and at its start); `true` aborts it with an `HTTPError` whose
    /// `aborted` is set, so a stopping service never waits out a hung target's timeout.
    var abortWhen: (@Sendable () -> Bool)? { get set }

    /// Performs `request` and returns the response, whatever its status; throws when the transfer
    /// produced no response.
    func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse
}
