import ArgumentParser
import AuditwatchApp

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
        try location.silenceAdmin(existing: false).add(
            matchers: matchers, duration: duration, comment: comment, author: author, out: standardOutput)
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
        try location.silenceAdmin(existing: true).list(
            all: all, json: output == .json, out: standardOutput)
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
        try location.silenceAdmin(existing: true).expire(id: id)
    }
}
