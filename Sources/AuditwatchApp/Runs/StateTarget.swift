public import AuditwatchConfig
public import AuditwatchCore
import AuditwatchState

/// The state a command opens, with its password: `--state PATH|URL` (a PostgreSQL URL then
/// authenticates as libpq does: the URL, `PGPASSWORD`, `~/.pgpass`), or a config's `state` and
/// `state_password` (a secret reference, resolved here). The password only ever goes to libpq.
public struct StateTarget: Sendable {
    public var path: String
    public var password: String?

    public init(path: String, password: String? = nil) {
        self.path = path
        self.password = password
    }

    /// `--state` when given, else `--config`'s state and password.
    public static func resolve(
        state: String?, config: String?, sink: DiagnosticSink = .standardError
    ) throws(AppError) -> StateTarget {
        if let state { return StateTarget(path: state) }
        return try of(try LoadedConfig.load(config!, sink: sink).config)
    }

    /// A config's state, its `state_password` resolved (a PostgreSQL state only: a file has none).
    public static func of(
        _ config: ServiceConfig, resolver: SecretResolver = SecretResolver()
    ) throws(AppError) -> StateTarget {
        guard let reference = config.statePassword, StoreLocation.isDatabaseURL(config.statePath) else {
            return StateTarget(path: config.statePath)
        }
        switch resolver.resolve(
            reference, what: "'state_password'", at: SourceLocation(file: config.file, line: 1, column: 1),
            owner: "state")
        {
        case .success(let secret): return StateTarget(path: config.statePath, password: secret.value)
        case .failure(let problem): throw .state("\(config.file): \(problem.message)")
        }
    }

    /// Opens (and migrates) the store.
    public func open() throws(AppError) -> any StateStore {
        do throws(StateError) { return try StoreLocation(path).open(password: password) } catch {
            throw .state(error.message)
        }
    }
}
