/// A state store that cannot be used, or an operation on it that failed. The message names the
/// store and what went wrong, never a bound value or a password.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
