import ArgumentParser
import AuditwatchCore
import AuditwatchSources

/// `auditwatch rules explain RULE --event FILE`: why a rule matched an event, or did not.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show, selection by selection and field by field, why a rule matches an event or not.",
        discussion: "Every event in the file is explained (any input format `run` reads). Exit status 0 if the rule matched every event, 1 otherwise."
    )

    @Argument(help: "The rule's id.")
    var rule: String

    @Option(name: .long, help: ArgumentHelp("The event(s) to explain ('-' for standard input).", valueName: "file"))
    var event: String

    @Option(name: .long, help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "path"))
    var rules: [String] = ["rules"]

    @Option(name: .long, help: ArgumentHelp("Values of the rules' expand placeholders.", valueName: "file"))
    var placeholders: String?

    func run() throws {
        let (ruleSet, _) = try LoadedRules.load(rules, quiet: true, tuning: try LoadedRules.tuning(placeholders: placeholders))
        guard let compiled = ruleSet.rules.first(where: { $0.rule.id == rule || $0.rule.name == rule }) else {
            StandardError.line("auditwatch: no rule '\(rule)'\(Suggestions.didYouMean(rule, in: ruleSet.rules.map(\.rule.id)))")
            throw ExitCode(2)
        }
        let stdout = OutputStream(descriptor: 1)
        var allMatched = true
        var count = 0
        do {
            try EventReader(path: event).read(onProblem: { StandardError.line("\($0.diagnostic.location!): warning: \($0.message)") }) { event in
                let explanation = compiled.explain(event)
                allMatched = allMatched && explanation.matched
                count += 1
                stdout.line("event \(AlertFormatter.printable(event.id)) (\(AlertFormatter.printable(event.type)), \(UTCTime.iso8601(event.effectiveAt)))")
                stdout.line(explanation.text)
                stdout.line("")
            }
        } catch {
            stdout.flush()
            StandardError.line("\(error.diagnostic.location!): error: \(error.message)")
            throw ExitCode(1)
        }
        stdout.flush()
        if count == 0 || !allMatched { throw ExitCode(1) }
    }
}
