import ArgumentParser
import AuditwatchCore
import AuditwatchRuleTests

/// `auditwatch rules list`: id, level, kind, title, the event types read, and file of every rule.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the loaded rules: id, level, kind, title, the event types each reads, and file.",
        discussion: """
            Building blocks (rules that never alert on their own, only through the correlations \
            on them) are marked [building block of …]; disabled rules [disabled].
            """
    )

    @Argument(help: ArgumentHelp("Rule files or directories.", valueName: "path"))
    var paths: [String] = ["rules"]

    @Option(name: .long, help: "A table for people or JSON for scripts.")
    var format: ReportFormat = .text

    func run() throws {
        let (_, result) = try LoadedRules.load(paths, quiet: true)
        let stdout = LineWriter(descriptor: 1)
        let rows = RuleOverview.all(result)
        switch format {
        case .json:
            let items = rows.map { row in
                let types = row.types.map { "[" + $0.map(JSONWriter.quoted).joined(separator: ",") + "]" } ?? "null"
                let blocks = "[" + row.buildingBlockOf.map(JSONWriter.quoted).joined(separator: ",") + "]"
                return "{\"id\":\(JSONWriter.quoted(row.id)),\"type\":\"\(row.kind)\","
                    + "\"level\":\"\(row.level.rawValue)\","
                    + "\"title\":\(JSONWriter.quoted(row.title)),\"file\":\(JSONWriter.quoted(row.location.file)),"
                    + "\"line\":\(row.location.line),\"enabled\":\(row.enabled),\"event_types\":\(types),"
                    + "\"building_block_of\":\(blocks)}"
            }
            stdout.line("[" + items.joined(separator: ",\n ") + "]")
        case .text:
            let idWidth = min(48, rows.map(\.id.count).max() ?? 2)
            for row in rows {
                var line = "\(row.id.padding(idWidth))  \(row.level.rawValue.padding(13))  \(row.kind.padding(16))  "
                line += "\(row.title)  (\(row.location.file):\(row.location.line))"
                line += "  reads: " + Self.typeList(row.types)
                if row.isBuildingBlock { line += " [building block of \(row.buildingBlockOf.joined(separator: ", "))]" }
                if !row.enabled { line += " [disabled]" }
                stdout.line(line)
            }
        }
        stdout.flush()
    }

    /// At most three types by name, then how many more.
    static func typeList(_ types: [String]?) -> String {
        guard let types else { return "any type" }
        guard types.count > 3 else { return types.isEmpty ? "no documented type" : types.joined(separator: ", ") }
        return types.prefix(3).joined(separator: ", ") + " and \(types.count - 3) more"
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
