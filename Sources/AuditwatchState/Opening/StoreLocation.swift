public import AuditwatchCore

/// The `state:` value of a config (or `--state`): a SQLite file path (the default), or a
/// PostgreSQL connection URL.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// `postgresql://…` or `postgres://…` is a database; anything else is a file path.
    public init(_ text: String) {
        self = StoreLocation.isDatabaseURL(text) ? .postgres(url: text) : .sqlite(path: text)
    }

    /// Whether `text` names a PostgreSQL database rather than a file (relative paths are joined
    /// to the config's directory; URLs are not).
    public static func isDatabaseURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Opens the store, applying any migrations it lacks. `password` (already resolved from
    /// `${ENV}` or a file) is used by PostgreSQL only.
    public func open(password: String? = nil) throws(StateError) -> any StateStore {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path)
        case .postgres(let url): return try PostgresStore(url: url, password: password)
        }
    }

    /// The schema versions: (the store's after opening, the newest this auditwatch knows, the
    /// steps this open applied). `auditwatch migrate` reports them.
    public func migrate(password: String? = nil) throws(StateError) -> (version: Int, newest: Int, applied: [Int]) {
        switch self {
        case .sqlite(let path):
            let store = try SQLiteStore(path: path)
            return (try store.schemaVersion(), SchemaMigration.newest, store.appliedMigrations)
        case .postgres(let url):
            let store = try PostgresStore(url: url, password: password)
            return (try store.schemaVersion(), SchemaMigration.newest, store.appliedMigrations)
        }
    }
}
