public import AuditwatchCore
import AuditwatchRuleTests
import AuditwatchSources
import AuditwatchYAML

/// `auditwatch rules explain [RULE] --events FILE`: why rules matched events, or did not. A
/// rule that misses an event (a correlation that does not fire) is an `AppError.verdict`.
public struct Explanation {
    public var rule: String?
    public var events: String
    public var rules: [String] = ["rules"]
    public var placeholders: String?
    public var sink: DiagnosticSink = .standardError

    public init(rule: String?, events: String) {
        self.rule = rule
        self.events = events
    }

    public func run(out: any LineOutput) throws(AppError) {
        let tuning = try LoadedRules.tuning(placeholders: placeholders, sink: sink)
        let (ruleSet, loaded) = try LoadedRules.load(rules, quiet: true, tuning: tuning, sink: sink, out: out)
        let events = try EventFile.read(self.events, warn: sink.skipped)
        defer { out.flush() }
        guard let rule else { return Explanation.all(events, ruleSet: ruleSet, loaded: loaded, to: out) }
        if let correlation = ruleSet.correlations.first(where: { $0.rule.id == rule || $0.rule.name == rule }) {
            let fired = CorrelationExplanation.text(correlation.rule, events: events, ruleSet: ruleSet)
            out.line(fired.text)
            if !fired.fired { throw .verdict }
            return
        }
        guard let compiled = ruleSet.rules.first(where: { $0.rule.id == rule || $0.rule.name == rule }) else {
            out.flush()
            let known = ruleSet.rules.map(\.rule.id) + ruleSet.correlations.map(\.rule.id)
            throw .usage("no rule or correlation '\(rule)'\(Suggestions.didYouMean(rule, in: known))")
        }
        var allMatched = true
        for event in events {
            let explanation = compiled.explain(event)
            allMatched = allMatched && explanation.matched
            out.line(Explanation.heading(event))
            out.line(explanation.text)
            out.line("")
        }
        if events.isEmpty || !allMatched { throw .verdict }
    }

    public static func heading(_ event: Event) -> String {
        let id = AlertFormatter.printable(event.id), type = AlertFormatter.printable(event.type)
        return "event \(id) (\(type), \(UTCTime.iso8601(event.effectiveAt)))"
    }

    /// Every rule against each event: the matches, then why each rule reading this type did not
    /// match (its false selections, the first failing field with the event's value), then how
    /// many rules read other types.
    static func all(_ events: [Event], ruleSet: RuleSet, loaded: RuleLoader.Loaded, to out: any LineOutput) {
        let overviews = Dictionary(
            RuleOverview.all(loaded).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        for event in events {
            out.line(heading(event))
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
            lines.filter(\.matched).forEach { out.line($0.text) }
            lines.filter { !$0.matched }.forEach { out.line($0.text) }
            if lines.filter(\.matched).isEmpty { out.line("  no rule matches") }
            out.line("  \(otherTypes) rule\(otherTypes == 1 ? "" : "s") read other event types")
            out.line("")
        }
    }
}
