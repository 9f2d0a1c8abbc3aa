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
        let (_, result) = try LoadedRules.load(paths, quiet: true)
        let stdout = OutputStream(descriptor: 1)
        struct Row { var id, kind, title: String; var level: RuleLevel; var location: SourceLocation; var enabled: Bool }
        let rows = result.rules.map { Row(id: $0.rule.id, kind: "rule", title: $0.rule.title, level: $0.rule.level, location: $0.rule.location, enabled: $0.rule.enabled) }
            + result.correlations.map { Row(id: $0.rule.id, kind: $0.rule.kind.rawValue, title: $0.rule.title, level: $0.rule.level, location: $0.rule.location, enabled: $0.rule.enabled) }
        switch format {
        case .json:
            let items = rows.map { row in
                "{\"id\":\(JSONWriter.quoted(row.id)),\"type\":\"\(row.kind)\",\"level\":\"\(row.level.rawValue)\",\"title\":\(JSONWriter.quoted(row.title)),\"file\":\(JSONWriter.quoted(row.location.file)),\"line\":\(row.location.line),\"enabled\":\(row.enabled)}"
            }
            stdout.line("[" + items.joined(separator: ",\n ") + "]")
        case .text:
            let idWidth = min(48, rows.map(\.id.count).max() ?? 2)
            for row in rows {
                stdout.line("\(row.id.padding(idWidth))  \(row.level.rawValue.padding(13))  \(row.kind.padding(16))  \(row.title)  (\(row.location.file):\(row.location.line))\(row.enabled ? "" : " [disabled]")")
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
