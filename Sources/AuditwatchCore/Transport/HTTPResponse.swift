/// What the server answered.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased, in the order received (last response of the exchange only).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds the server asked to wait (`Retry-After`, as seconds or an HTTP date), if any.
    public var retryAfter: Int?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], retryAfter: Int? = nil)
    {
        self.status = status
        self.headers = headers
        self.body = body
        self.retryAfter = retryAfter
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
