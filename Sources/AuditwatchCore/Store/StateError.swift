/// A state store that cannot be used, or an operation on it that failed. The message names the
/// store and what went wrong, never a bound value or a password.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Set when a commit was refused because its lease is no longer the replica's (`Checkpoint.fence`):
    /// nothing was written, and the replica must stop working on the source.
    public var lostLease: LeaseFence?

    public init(_ message: String) { self.message = message }

    /// The commit of `fence` was refused: the lease expired or another replica holds it now.
    public static func leaseLost(_ fence: LeaseFence) -> StateError {
        var error = StateError(
            "lease lost on source \(fence.source) (token \(fence.token)): it expired or another replica took it; nothing was committed"
        )
        error.lostLease = fence
        return error
    }

    public var description: String { message }
}
