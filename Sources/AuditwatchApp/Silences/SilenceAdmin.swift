import AuditwatchCore
import AuditwatchService
import AuditwatchState
import Foundation

/// `auditwatch silence add|list|expire`: silences in a state (a file or a PostgreSQL URL).
public struct SilenceAdmin {
    /// The state's location (`--state`, or the config's `state`).
    public var statePath: String
    public var sink: DiagnosticSink = .standardError
    /// A PostgreSQL state's password (`state_password`), if any.
    public var password: String?

    public init(statePath: String) {
        self.statePath = statePath
    }

    /// Adds a silence and prints its id; refused matchers are located diagnostics (`--match:2:20`).
    public func add(
        matchers: [String], duration: String, comment: String, author: String?, out: any LineOutput
    ) throws(AppError) {
        let made = Silence.make(
            id: Silence.newID(), matchers: matchers, duration: duration,
            author: author ?? ProcessInfo.processInfo.environment["USER"] ?? "cli", comment: comment,
            now: Int64(Date().timeIntervalSince1970))
        guard let silence = made.silence else {
            var sources = SourceFiles()
            sources.add("--match", text: matchers.joined(separator: "\n"))
            let diagnostics = made.problems.map { problem in
                Diagnostic.error(
                    problem.message,
                    at: problem.matcher.map { SourceLocation(file: "--match", line: $0 + 1, column: problem.column) })
            }
            throw .diagnostics(Findings(diagnostics: diagnostics, sources: sources))
        }
        do throws(StateError) { try StoreLocation(statePath).open(password: password).addSilence(silence) } catch {
            throw .state("\(error)")
        }
        out.line(silence.id)
        out.flush()
        sink.note(
            .info,
            "auditwatch: silence \(silence.id) until \(UTCTime.iso8601(silence.endsAt)): "
                + silence.matchers.map(\.description).map(AlertFormatter.printable).joined(separator: " "))
    }

    /// Active and pending silences, newest first (`all`: expired too), as text or the API's JSON.
    public func list(all: Bool, json: Bool, out: any LineOutput) throws(AppError) {
        let now = Int64(Date().timeIntervalSince1970)
        let silences: [Silence]
        do throws(StateError) {
            silences = try StoreLocation(statePath).open(password: password).silences().filter {
                all || $0.state(at: now) != .expired
            }
        } catch {
            throw .state("\(error)")
        }
        if json {
            out.line(SilenceJSON.list(silences, now: now))
        } else {
            for silence in silences {
                let matchers = silence.matchers.map(\.description).joined(separator: " ")
                out.line(
                    [
                        silence.id, silence.state(at: now).rawValue.padding(7), UTCTime.iso8601(silence.endsAt),
                        AlertFormatter.printable(silence.author), AlertFormatter.printable(matchers),
                        "# " + AlertFormatter.printable(silence.comment),
                    ].joined(separator: "  "))
            }
        }
        out.flush()
    }

    /// Ends a silence now; what it muted is not resent.
    public func expire(id: String) throws(AppError) {
        let ended: Silence?
        do throws(StateError) {
            ended = try StoreLocation(statePath).open(password: password).expireSilence(
                id: id, now: Int64(Date().timeIntervalSince1970))
        } catch {
            throw .state("\(error)")
        }
        guard let ended else {
            throw .state("no silence '\(AlertFormatter.printable(id))' in this state file")
        }
        sink.note(.info, "auditwatch: silence \(ended.id) expired at \(UTCTime.iso8601(ended.endsAt))")
    }
}
