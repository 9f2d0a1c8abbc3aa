import ArgumentParser
import AuditwatchApp

extension Auditwatch {
    /// `auditwatch schema [TYPE]`: the documented audit-log event types and the fields each carries.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Show the documented event types, the fields of one type, or the types that carry a field.",
            discussion: """
                Without arguments, every documented event type. With TYPE, the fields its events carry \
                (its own detail fields, then the fields every event carries). With --field PATH, the \
                types whose events carry PATH. Exit status 1 when the type or field is not documented.
                """
        )

        @Argument(help: ArgumentHelp("An event type (e.g. api_key.created).", valueName: "type"))
        var type: String?

        @Option(name: .long, help: ArgumentHelp("A field path (e.g. actor.session.user_agent).", valueName: "path"))
        var field: String?

        func validate() throws {
            if type != nil && field != nil { throw ValidationError("give a TYPE or --field PATH, not both") }
        }

        func run() throws {
            if let field { return try SchemaQuery.carriers(of: field, out: standardOutput) }
            guard let type else { return SchemaQuery.types(out: standardOutput) }
            try SchemaQuery.fields(of: type, out: standardOutput)
        }
    }
}
