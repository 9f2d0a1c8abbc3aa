/// Transport settings for `HTTPClient`.
public struct HTTPClientOptions: Sendable {
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Int = 10
    /// Seconds allowed for the whole exchange.
    public var totalTimeout: Int = 30
    /// A CA bundle for private certificate authorities; verification itself is never turned off.
    public var caBundlePath: String?
    /// A proxy URL. Only this setting is used: proxy environment variables are ignored.
    public var proxy: String?
    /// Sent as `User-Agent`.
    public var userAgent: String = "auditwatch"

    public init() {}
}
