import ArgumentParser
import AuditwatchCore
import AuditwatchSources

/// `auditwatch run`: evaluate events against the rules and print the alerts.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the rules over audit-log events and print the alerts.",
        discussion: """
            Input may be JSON Lines (one event per line), an API list response, or a JSON array of \
            events; the shape is detected. A malformed line is reported with its line number and \
            skipped unless --strict. Exit status: 0 done, 1 input problem under --strict, 2 rule errors.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Audit-log events to read ('-' for standard input).", valueName: "file"))
    var events: String

    @Option(name: .long, help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "path"))
    var rules: [String] = ["rules"]

    @Option(name: .long, help: "Alert format: text (one line each) or jsonl (one JSON object each).")
    var output: AlertOutput = .text

    @Flag(name: .long, help: "Stop at the first malformed line instead of skipping it.")
    var strict = false

    func run() throws {
        let (ruleSet, _) = try LoadedRules.load(rules, quiet: true)
        var engine = DetectionEngine(ruleSet: ruleSet)
        let stdout = OutputStream(descriptor: 1)
        var alertsByLevel: [RuleLevel: Int] = [:]
        let reader = EventReader(path: events)
                do {
            try reader.read(strict: strict, onProblem: { problem in
                StandardError.line("\(problem.diagnostic.location!): warning: \(problem.message)")
            }, onEvent: { event in
                for alert in engine.process(event) {
                    alertsByLevel[alert.level, default: 0] += 1
                    stdout.line(output == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert))
                }
            })
        } catch {
            stdout.flush()
            StandardError.line("\(error.diagnostic.location!): error: \(error.message)")
            throw ExitCode(1)
        }
        // A file has an end: decide the windows still open and flush suppressions.
        for alert in engine.finish() {
            alertsByLevel[alert.level, default: 0] += 1
            stdout.line(output == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.textLine(alert))
        }
        stdout.flush()
        let total = alertsByLevel.values.reduce(0, +)
        let levels = RuleLevel.allCases.reversed().compactMap { level in alertsByLevel[level].map { "\(level.rawValue) \($0)" } }
        var summary = "auditwatch: \(reader.eventCount) event\(reader.eventCount == 1 ? "" : "s") read, \(reader.skippedCount) skipped, \(total) alert\(total == 1 ? "" : "s")"
        if !levels.isEmpty { summary += " (" + levels.joined(separator: ", ") + ")" }
        StandardError.line(summary)
        if !engine.undocumentedTypes.isEmpty {
            let listed = engine.undocumentedTypes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(10).map { "\(AlertFormatter.printable($0.key)) (\($0.value))" }
            StandardError.line("auditwatch: note: \(engine.undocumentedTypes.values.reduce(0, +)) events of \(engine.undocumentedTypes.count) type\(engine.undocumentedTypes.count == 1 ? "" : "s") the API does not document were evaluated: \(listed.joined(separator: ", "))")
        }
    }
}
