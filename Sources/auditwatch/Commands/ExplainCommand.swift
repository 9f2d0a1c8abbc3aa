import ArgumentParser
import AuditwatchApp

extension Auditwatch.Rules {
    /// `auditwatch rules explain [RULE] --event FILE`: why rules matched events, or did not.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show, selection by selection and field by field, why a rule matches an event or not.",
            discussion: """
                Every event in the file is explained (any input format `run` reads). With a RULE, that \
                rule field by field; without one, every rule against each event (matched or not, and \
                why). For a correlation, the events run through the engine: each event its base rules \
                match, its group, the window and the count so far, and the alerts that fire. Exit status \
                0 if the rule matched every event (fired, for a correlation), 1 otherwise.
                """
        )

        @Argument(help: "The rule's or correlation's id (all rules when left out).")
        var rule: String?

        @Option(
            name: [.customLong("event"), .customLong("events")],
            help: ArgumentHelp("The event(s) to explain ('-' for standard input).", valueName: "file"))
        var event: String

        @Option(name: .long, help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "path"))
        var rules: [String] = ["rules"]

        @Option(name: .long, help: ArgumentHelp("Values of the rules' expand placeholders.", valueName: "file"))
        var placeholders: String?

        func run() throws {
            var explanation = Explanation(rule: rule, events: event)
            explanation.rules = rules
            explanation.placeholders = placeholders
            try explanation.run(out: standardOutput)
        }
    }
}
