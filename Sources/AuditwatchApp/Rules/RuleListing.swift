import AuditwatchCore
import AuditwatchRuleTests
import Foundation

/// `auditwatch rules list`, `rules coverage` and `rules docs`: what the loaded rules are and read.
public enum RuleListing {
    /// Id, level, kind, title, file and the event types read of every rule: a table or JSON.
    public static func list(
        _ paths: [String], format: ReportFormat, sink: DiagnosticSink = .standardError, out: any LineOutput
    )
        throws(AppError)
    {
        let (_, result) = try LoadedRules.load(paths, quiet: true, sink: sink, out: out)
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
            out.line("[" + items.joined(separator: ",\n ") + "]")
        case .text:
            let idWidth = min(48, rows.map(\.id.count).max() ?? 2)
            for row in rows {
                var line = "\(row.id.padding(idWidth))  \(row.level.rawValue.padding(13))  \(row.kind.padding(16))  "
                line += "\(row.title)  (\(row.location.file):\(row.location.line))"
                line += "  reads: " + typeList(row.types)
                if row.isBuildingBlock { line += " [building block of \(row.buildingBlockOf.joined(separator: ", "))]" }
                if !row.enabled { line += " [disabled]" }
                out.line(line)
            }
        }
        out.flush()
    }

    /// At most three types by name, then how many more.
    public static func typeList(_ types: [String]?) -> String {
        guard let types else { return "any type" }
        guard types.count > 3 else { return types.isEmpty ? "no documented type" : types.joined(separator: ", ") }
        return types.prefix(3).joined(separator: ", ") + " and \(types.count - 3) more"
    }

    /// The documented event types no enabled rule reads (`names`: one a line, nothing else).
    public static func unreadTypes(
        _ paths: [String], names: Bool, sink: DiagnosticSink = .standardError, out: any LineOutput
    ) throws(AppError) {
        let (_, result) = try LoadedRules.load(paths, quiet: true, sink: sink, out: out)
        let unread = RuleOverview.unreadTypes(RuleOverview.all(result))
        if !names {
            let total = EventSchema.documentedTypesInOrder.count
            out.line(
                "\(total - unread.count) of \(total) documented event types are read by some rule; "
                    + "\(unread.count) by none\(unread.isEmpty ? "" : ":")")
        }
        unread.forEach { out.line(names ? $0 : "  " + $0) }
        out.flush()
    }

    /// The Markdown catalog, to `output` or else to `out`.
    public static func catalog(
        _ paths: [String], placeholders: String?, output: String?, sink: DiagnosticSink = .standardError,
        out: any LineOutput
    ) throws(AppError) {
        let tuning = try LoadedRules.tuning(placeholders: placeholders, sink: sink)
        let (_, loaded) = try LoadedRules.load(paths, quiet: true, tuning: tuning, sink: sink, out: out)
        let command = (["auditwatch", "rules", "docs"] + paths).joined(separator: " ")
        let text = RuleCatalog.markdown(loaded, command: command)
        guard let output else {
            out.line(String(text.dropLast()))
            out.flush()
            return
        }
        try FileOutput.write(text, to: output)
    }
}

/// Files a command writes (a catalog, a JUnit report, a starter project).
public enum FileOutput {
    public static func write(_ text: String, to path: String) throws(AppError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .failure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
