/// What a commit of a replica carries (`Checkpoint.fence`): the lease it holds on the source.
/// The store commits only while the lease still has this holder and token and has not expired.
public struct LeaseFence: Sendable, Equatable {
    public var source: String
    public var holder: String
    public var token: Int64

    public init(source: String, holder: String, token: Int64) {
        self.source = source
        self.holder = holder
        self.token = token
    }
}
