/// A credential read from the environment or a file. It prints as `<redacted>`, so it cannot
/// leak through string interpolation into a log line or an error.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
