import ArgumentParser
import AuditwatchCore
import AuditwatchRuleTests

/// `auditwatch rules coverage --types`: the documented event types no rule reads.
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "List the documented event types no enabled rule reads.",
        discussion: """
            Which rules the tests exercise is `rules test --coverage`. Exit status 0; with \
            --types, names only (one a line, for scripts).
            """
    )

    @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
    var paths: [String] = ["rules"]

    @Flag(name: .long, help: "Print only the unread types, one a line.")
    var types = false

    func run() throws {
        let (_, result) = try LoadedRules.load(paths, quiet: true)
        let unread = RuleOverview.unreadTypes(RuleOverview.all(result))
        let stdout = LineWriter(descriptor: 1)
        if !types {
            let total = EventSchema.documentedTypesInOrder.count
            stdout.line(
                "\(total - unread.count) of \(total) documented event types are read by some rule; "
                    + "\(unread.count) by none\(unread.isEmpty ? "" : ":")")
        }
        unread.forEach { stdout.line(types ? $0 : "  " + $0) }
        stdout.flush()
    }
}
