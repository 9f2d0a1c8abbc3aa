import ArgumentParser
import AuditwatchCore
import AuditwatchState

/// `auditwatch migrate --state PATH|URL` or `--config FILE`: brings the state store to this
/// version's schema by hand (every run also does it at start, under the same lock).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the state store's schema migrations (SQLite or PostgreSQL).")

    @OptionGroup var location: StateLocation

    func run() throws {
        let path = try location.path()
        do throws(StateError) {
            let outcome = try StoreLocation(path).migrate()
            let applied = outcome.applied.isEmpty ? "none" : outcome.applied.map(String.init).joined(separator: ", ")
            print("state schema at version \(outcome.version) of \(outcome.newest); applied now: \(applied)")
        } catch {
            StandardError.line("auditwatch: error: \(error.message)")
            throw ExitCode(1)
        }
    }
}
