import ArgumentParser
import AuditwatchCore
import AuditwatchRuleTests
import AuditwatchSources
import AuditwatchYAML

/// `auditwatch rules explain [RULE] --event FILE`: why rules matched events, or did not.
struct ExplainCommand: ParsableCommand {
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
        let tuning = try LoadedRules.tuning(placeholders: placeholders)
        let (ruleSet, loaded) = try LoadedRules.load(rules, quiet: true, tuning: tuning)
        let events = try readEvents()
        let stdout = LineWriter(descriptor: 1)
        defer { stdout.flush() }
        guard let rule else {
            explainAll(events, ruleSet: ruleSet, loaded: loaded, to: stdout)
            return
        }
        if let correlation = ruleSet.correlations.first(where: { $0.rule.id == rule || $0.rule.name == rule }) {
            let fired = CorrelationExplanation.text(correlation.rule, events: events, ruleSet: ruleSet)
            stdout.line(fired.text)
            if !fired.fired { throw ExitCode(1) }
            return
        }
        guard let compiled = ruleSet.rules.first(where: { $0.rule.id == rule || $0.rule.name == rule }) else {
            stdout.flush()
            let known = ruleSet.rules.map(\.rule.id) + ruleSet.correlations.map(\.rule.id)
            StandardError.line("auditwatch: no rule or correlation '\(rule)'\(Suggestions.didYouMean(rule, in: known))")
            throw ExitCode(2)
        }
        var allMatched = true
        for event in events {
            let explanation = compiled.explain(event)
            allMatched = allMatched && explanation.matched
            stdout.line(Self.heading(event))
            stdout.line(explanation.text)
            stdout.line("")
        }
        if events.isEmpty || !allMatched { throw ExitCode(1) }
    }

    static func heading(_ event: Event) -> String {
        let id = AlertFormatter.printable(event.id), type = AlertFormatter.printable(event.type)
        return "event \(id) (\(type), \(UTCTime.iso8601(event.effectiveAt)))"
    }

    /// Every rule against each event: the matches, then why each rule reading this type did not
    /// match (its false selections, the first failing field with the event's value), then how
    /// many rules read other types.
    private func explainAll(_ events: [Event], ruleSet: RuleSet, loaded: RuleLoader.Loaded, to stdout: LineWriter) {
        let overviews = Dictionary(
            RuleOverview.all(loaded).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        for event in events {
            stdout.line(Self.heading(event))
            var otherTypes = 0
            var lines: [(matched: Bool, text: String)] = []
            for compiled in ruleSet.rules {
                let types = overviews[compiled.rule.id]?.types
                if let types, !types.contains(event.type) {
                    otherTypes += 1
                    continue
                }
                let explanation = compiled.explain(event)
                let block = overviews[compiled.rule.id]?.isBuildingBlock == true ? " (building block)" : ""
                if explanation.matched {
                    lines.append((true, "  ✔ \(compiled.rule.id)\(block) matches"))
                    continue
                }
                var why = explanation.selections.filter { !$0.matched }.map(\.name)
                if why.isEmpty { why = ["the condition \(explanation.condition)"] }
                var text = "  ✘ \(compiled.rule.id)\(block): false: \(why.joined(separator: ", "))"
                let failing = explanation.selections.first { !$0.matched }?.alternatives.first?.first { !$0.matched }
                if let failing {
                    let actual =
                        failing.actual.isEmpty
                        ? "field missing" + failing.suggestion : "event has " + failing.actual.joined(separator: ", ")
                    text += " — \(AlertFormatter.printable(failing.entry)) (\(AlertFormatter.printable(actual)))"
                }
                lines.append((false, text))
            }
            lines.filter(\.matched).forEach { stdout.line($0.text) }
            lines.filter { !$0.matched }.forEach { stdout.line($0.text) }
            if lines.filter(\.matched).isEmpty { stdout.line("  no rule matches") }
            stdout.line("  \(otherTypes) rule\(otherTypes == 1 ? "" : "s") read other event types")
            stdout.line("")
        }
    }

    private func readEvents() throws -> [Event] {
        var events: [Event] = []
        do {
            let warn = { (problem: InputProblem) in
                StandardError.line("\(problem.diagnostic.location!): warning: \(problem.message)")
            }
            try EventReader(path: event).read(onProblem: warn) { events.append($0) }
        } catch {
            StandardError.line("\(error.diagnostic.location!): error: \(error.message)")
            throw ExitCode(1)
        }
        return events
    }
}
