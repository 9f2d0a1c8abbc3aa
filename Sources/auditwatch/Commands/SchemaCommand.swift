import ArgumentParser
import AuditwatchCore

/// `auditwatch schema [TYPE]`: the documented audit-log event types and the fields each carries.
struct SchemaCommand: ParsableCommand {
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
        let stdout = LineWriter(descriptor: 1)
        defer { stdout.flush() }
        if let field {
            let carriers = EventSchema.types(carrying: field)
            guard !carriers.isEmpty else {
                stdout.flush()
                let suggestion = (try? FieldPath(field)).map(EventSchema.suggestion) ?? ""
                StandardError.line("auditwatch: no documented event type carries '\(field)'\(suggestion)")
                throw ExitCode(1)
            }
            if carriers.count == EventSchema.documentedTypesInOrder.count {
                stdout.line("\(field): every event type carries it (a common field)")
            } else {
                stdout.line("\(field) is carried by \(carriers.count) event type\(carriers.count == 1 ? "" : "s"):")
                carriers.forEach { stdout.line("  " + $0) }
            }
            return
        }
        guard let type else {
            let count = EventSchema.documentedTypesInOrder.count
            stdout.line("\(count) documented event types (auditwatch schema TYPE for its fields):")
            EventSchema.documentedTypesInOrder.forEach { stdout.line("  " + $0) }
            return
        }
        guard let details = EventSchema.detailPaths(of: type) else {
            stdout.flush()
            let suggestion = EventSchema.closestType(to: type)
            StandardError.line("auditwatch: '\(type)' is not a documented event type\(suggestion)")
            throw ExitCode(1)
        }
        stdout.line("\(type)")
        stdout.line("  its own fields (also readable as details.<field>):")
        if details.isEmpty { stdout.line("    (none documented)") }
        details.forEach { stdout.line("    " + $0) }
        stdout.line("  fields every event carries:")
        EventSchema.common.forEach { stdout.line("    " + $0) }
    }
}
