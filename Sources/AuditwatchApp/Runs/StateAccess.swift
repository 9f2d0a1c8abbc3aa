public import AuditwatchCore
public import AuditwatchState

/// The state file of a command, opened or locked; a failure is an `AppError.state`.
public enum StateAccess {
    /// One process per state file: a second one refuses, naming the holder. A PostgreSQL state
    /// has no file to lock (replicas share it, splitting the sources by leases).
    public static func lock(_ path: String) throws(AppError) -> StateLock? {
        guard !StoreLocation.isDatabaseURL(path) else { return nil }
        do throws(StateError) { return try StateLock(statePath: path) } catch { throw .state(error.message) }
    }

    public static func open(_ path: String, password: String? = nil) throws(AppError) -> any StateStore {
        do throws(StateError) { return try StoreLocation(path).open(password: password) } catch {
            throw .state(error.message)
        }
    }
}
