import ArgumentParser
import AuditwatchCore

/// `auditwatch rules list`: id, level, title and file of every loaded rule.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the loaded rules: id, level, title and file."
    )

    @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
    var paths: [String] = ["rules"]

    @Option(name: .long, help: "A table for people or JSON for scripts.")
    var format: ReportFormat = .text

    func run() throws {
        let (ruleSet, _) = try LoadedRules.load(paths, quiet: true)
        let stdout = OutputStream(descriptor: 1)
        let rules = ruleSet.rules.map(\.rule)
        switch format {
        case .json:
            let items = rules.map { rule in
                "{\"id\":\(JSONWriter.quoted(rule.id)),\"level\":\"\(rule.level.rawValue)\",\"title\":\(JSONWriter.quoted(rule.title)),\"file\":\(JSONWriter.quoted(rule.location.file)),\"line\":\(rule.location.line),\"enabled\":\(rule.enabled)}"
            }
            stdout.line("[" + items.joined(separator: ",\n ") + "]")
        case .text:
            let idWidth = min(48, rules.map(\.id.count).max() ?? 2)
            for rule in rules {
                let id = rule.id.padding(idWidth)
                stdout.line("\(id)  \(rule.level.rawValue.padding(13))  \(rule.title)  (\(rule.location.file):\(rule.location.line))\(rule.enabled ? "" : " [disabled]")")
            }
        }
        stdout.flush()
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
