import AuditwatchCore
import AuditwatchState

/// `auditwatch migrate`: brings the state store to this version's schema by hand (every run
/// also does it at start, under the same lock).
public enum StateMigration {
    public static func run(_ path: String, password: String? = nil, out: any LineOutput) throws(AppError) {
        do throws(StateError) {
            let outcome = try StoreLocation(path).migrate(password: password)
            let applied = outcome.applied.isEmpty ? "none" : outcome.applied.map(String.init).joined(separator: ", ")
            out.line("state schema at version \(outcome.version) of \(outcome.newest); applied now: \(applied)")
            out.flush()
        } catch {
            throw .state(error.message)
        }
    }
}
