import ArgumentParser
import AuditwatchConfig
import AuditwatchCore
import AuditwatchHTTP
import AuditwatchNotify
import AuditwatchService
import Foundation

/// `auditwatch notify test NAME`: the first thing to run after adding a webhook.
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Work with the notifiers of auditwatch.yml.",
        subcommands: [NotifyTestCommand.self]
    )
}

struct NotifyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a sample alert through one notifier and show exactly what the target answered.",
        discussion: "Exit status 0 when the target accepted it, 1 otherwise. Nothing is written to the state file."
    )

    @Argument(help: "The notifier's name in auditwatch.yml.")
    var name: String

    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "file"))
    var config = "auditwatch.yml"

    func run() throws {
        let (settings, sources) = try LoadedConfig.load(config)
        let stdout = LineWriter(descriptor: 1)
        let resolved = NotifierSettings.resolve(settings)
        let clients = NotifierClient.clients(
            for: resolved.notifiers, redactor: resolved.redactor,
            transport: { try? HTTPClient(options: HTTPClientOptions(config: settings)) }
        ) { stdout.line($0) }
        guard let client = clients[name] else {
            StandardError.line(
                "auditwatch: no notifier '\(name)' in \(config)\(Suggestions.didYouMean(name, in: clients.keys.sorted()))"
            )
            throw ExitCode(2)
        }
        let problems = resolved.diagnostics.filter { $0.ruleID == name }
        if !problems.isEmpty {
            StandardError.line(DiagnosticRenderer(sources: sources).text(problems))
            throw ExitCode(2)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let sample = Alert(
            id: "aw_test_" + StableDigest.hex(String(now)).prefix(16), ruleID: "auditwatch_notifier_test",
            ruleTitle: "auditwatch test alert",
            level: .informational, tags: [], group: [GroupValue(field: "notifier", value: name)], count: 1,
            firstAt: now, lastAt: now,
            eventIDs: [], summary: "This is a test from auditwatch: the notifier '\(name)' works.")
        let attempt = client.send(sample, now: now)
        stdout.line(
            "notifier \(name) (\(client.kind.rawValue)): " + (attempt.status.map { "HTTP \($0)" } ?? "no HTTP answer"))
        if !attempt.responseBody.isEmpty { stdout.line("response: " + AlertFormatter.printable(attempt.responseBody)) }
        switch attempt.outcome {
        case .delivered: stdout.line("result: delivered")
        case .retry(let after, let reason):
            stdout.line("result: would retry\(after.map { " after \($0)s" } ?? "") (\(reason))")
        case .permanent(let reason): stdout.line("result: failed (\(reason))")
        case .disable(let reason): stdout.line("result: the target says this webhook is gone (\(reason))")
        }
        stdout.flush()
        if attempt.outcome != .delivered { throw ExitCode(1) }
    }
}
