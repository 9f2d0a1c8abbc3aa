import ArgumentParser
import AuditwatchCore
import AuditwatchRuleTests
import Foundation

/// `auditwatch rules docs`: the Markdown catalog of the rules (docs/rules.md is it for the pack).
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the rules' catalog as Markdown: one section per rule, and the event types each reads.",
        discussion: "Exit status: 0 written, 1 the output file cannot be written, 2 the rules have errors."
    )

    @Argument(help: ArgumentHelp("Rule and test files or directories.", valueName: "path"))
    var paths: [String] = ["rules"]

    @Option(name: .long, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var output: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Values of the rules' expand placeholders (the catalog shows the pack's defaults without it).",
            valueName: "file"))
    var placeholders: String?

    func run() throws {
        let tuning = try LoadedRules.tuning(placeholders: placeholders)
        let (_, loaded) = try LoadedRules.load(paths, quiet: true, tuning: tuning)
        let command = (["auditwatch", "rules", "docs"] + paths).joined(separator: " ")
        let text = RuleCatalog.markdown(loaded, command: command)
        guard let output else {
            let stdout = LineWriter(descriptor: 1)
            stdout.line(String(text.dropLast()))
            stdout.flush()
            return
        }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            StandardError.line("auditwatch: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
