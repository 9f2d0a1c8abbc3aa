import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch migrate --state PATH|URL` or `--config FILE`: brings the state store to this
    /// version's schema by hand (every run also does it at start, under the same lock).
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply the state store's schema migrations (SQLite or PostgreSQL).")

        @OptionGroup var location: StateLocation

        func run() throws {
            let target = try StateTarget.resolve(state: location.state, config: location.config)
            try StateMigration.run(target.path, password: target.password, out: standardOutput)
        }
    }
}
