import ArgumentParser
import AuditwatchCore
import AuditwatchState
import Foundation

/// `auditwatch silence add|list|expire`: mute a known noise without editing rules.
struct SilenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Mute alerts for a while (a pentest, a migration) without editing rules.",
        discussion: """
            A silenced alert is recorded with status 'silenced' (auditwatch alerts list --status silenced) \
            and not delivered; expiring a silence does not resend what it muted. Silences live in the \
            state file: the running service applies a new one from its next poll.
            """,
        subcommands: [SilenceAddCommand.self, SilenceListCommand.self, SilenceExpireCommand.self]
    )
}

/// `auditwatch silence add --match rule=… [--match …] --for 2h --comment "…" [--author NAME]`.
struct SilenceAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a silence; prints its id.",
        discussion: """
            Matchers: FIELD=VALUE, FIELD!=VALUE, FIELD=~REGEX (anchored: the whole value matches) on rule, \
            level, tags, source and group.<field> (a group-by field of the alert, e.g. group.actor.email). \
            All must hold. Example: --match rule=brute_force_user --match group.actor.email=dana@acme.example
            """
    )

    @Option(name: .customLong("match"), help: ArgumentHelp("A matcher (repeatable).", valueName: "matcher"))
    var matchers: [String] = []

    @Option(name: .customLong("for"), help: ArgumentHelp("How long: 30m, 2h, 1d.", valueName: "duration"))
    var duration: String

    @Option(name: .long, help: "Why (a ticket, 'pentest'); required.")
    var comment: String

    @Option(name: .long, help: "Who (default: $USER).")
    var author: String?

    @OptionGroup var location: StateLocation

    func run() throws {
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
            StandardError.line(DiagnosticRenderer(sources: sources).text(diagnostics))
            throw ExitCode(2)
        }
        let path = try location.path()
        do throws(StateError) {
            try StoreLocation(path).open().addSilence(silence)
        } catch {
            StandardError.line("auditwatch: error: \(error)")
            throw ExitCode(1)
        }
        print(silence.id)
        StandardError.line(
            "auditwatch: silence \(silence.id) until \(UTCTime.iso8601(silence.endsAt)): "
                + silence.matchers.map(\.description).map(AlertFormatter.printable).joined(separator: " "))
    }
}

/// `auditwatch silence list [--all] [--output json]`.
struct SilenceListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List silences, newest first (active and pending; --all: expired too).")

    @Flag(name: .long, help: "Expired silences too.")
    var all = false

    @Option(name: .long, help: "text or json (the HTTP API's JSON).")
    var output: SilenceOutput = .text

    @OptionGroup var location: StateLocation

    enum SilenceOutput: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let silences: [Silence]
        let path = try location.existingPath()
        do throws(StateError) {
            silences = try StoreLocation(path).open().silences().filter {
                all || $0.state(at: now) != .expired
            }
        } catch {
            StandardError.line("auditwatch: error: \(error)")
            throw ExitCode(1)
        }
        switch output {
        case .json: print(SilenceJSON.list(silences, now: now))
        case .text:
            for silence in silences {
                let matchers = silence.matchers.map(\.description).joined(separator: " ")
                print(
                    [
                        silence.id, silence.state(at: now).rawValue.padding(7), UTCTime.iso8601(silence.endsAt),
                        AlertFormatter.printable(silence.author), AlertFormatter.printable(matchers),
                        "# " + AlertFormatter.printable(silence.comment),
                    ].joined(separator: "  "))
            }
        }
    }
}

/// `auditwatch silence expire ID`.
struct SilenceExpireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire", abstract: "End a silence now (what it muted is not resent).")

    @Argument(help: "The silence id (silence list shows them).")
    var id: String

    @OptionGroup var location: StateLocation

    func run() throws {
        let ended: Silence?
        let path = try location.existingPath()
        do throws(StateError) {
            ended = try StoreLocation(path).open().expireSilence(
                id: id, now: Int64(Date().timeIntervalSince1970))
        } catch {
            StandardError.line("auditwatch: error: \(error)")
            throw ExitCode(1)
        }
        guard let ended else {
            StandardError.line("auditwatch: error: no silence '\(AlertFormatter.printable(id))' in this state file")
            throw ExitCode(1)
        }
        StandardError.line("auditwatch: silence \(ended.id) expired at \(UTCTime.iso8601(ended.endsAt))")
    }
}
