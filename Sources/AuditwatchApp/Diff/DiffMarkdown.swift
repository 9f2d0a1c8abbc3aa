public import AuditwatchCore
import Foundation

/// `rules diff --format markdown`: a pull-request comment a reviewer can read without running
/// anything. A summary table per rule, then a table per rule of the alerts that appear (+),
/// disappear (-) or change (~).
public enum DiffMarkdown {
    /// `base` names the old rules (a revision or a directory); `logs` is how many logs were read.
    public static func render(_ diffs: [AlertDiff], base: String, logs: Int) -> String {
        let entries = diffs.flatMap { diff in diff.entries.map { (log: diff.log, entry: $0) } }
        let counts = { (change: AlertDiff.Change) in entries.filter { $0.entry.change == change }.count }
        var lines = ["### auditwatch rules diff", ""]
        let totals = "\(counts(.added)) added, \(counts(.removed)) removed, \(counts(.changed)) changed"
        let over = "\(logs) event log\(logs == 1 ? "" : "s")"
        lines.append("Rules at \(code(base)) → this change, over \(over): **\(totals)**.")
        guard !entries.isEmpty else {
            lines += ["", "No alert appears, disappears or changes."]
            return lines.joined(separator: "\n") + "\n"
        }
        let rules = Array(Set(entries.map { $0.entry.alert.ruleID })).sorted()
        lines += ["", "| rule | title | added (+) | removed (-) | changed (~) |", "|---|---|---:|---:|---:|"]
        for rule in rules {
            let own = entries.filter { $0.entry.alert.ruleID == rule }
            let tally = [AlertDiff.Change.added, .removed, .changed].map { change in
                String(own.filter { $0.entry.change == change }.count)
            }
            let title = text(own[0].entry.alert.ruleTitle)
            lines.append("| \(code(rule)) | \(title) | " + tally.joined(separator: " | ") + " |")
        }
        for rule in rules {
            let own = entries.filter { $0.entry.alert.ruleID == rule }
            lines += ["", "#### \(code(rule))", ""]
            lines += ["| | log | group | at | count | summary | what differs |", "|---|---|---|---|---:|---|---|"]
            for (log, entry) in own {
                let alert = entry.alert
                let group = alert.group.map { "\($0.field): \($0.value ?? "null")" }.joined(separator: ", ")
                let differs = entry.change == .changed ? entry.differences.joined(separator: "; ") : ""
                let cells = [
                    entry.change.rawValue, code(log), group.isEmpty ? "" : code(group),
                    UTCTime.iso8601(alert.lastAt), String(alert.count), code(alert.summary), code(differs),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Event text in a code span: GitHub never turns it into a mention, a link or markup there.
    /// Backticks cannot close the span (they become '), pipes cannot split the cell.
    static func code(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        return "`"
            + AlertFormatter.printable(value).replacingOccurrences(of: "`", with: "'")
            .replacingOccurrences(of: "|", with: "\\|") + "`"
    }

    /// Our own text (titles, differences): markup characters escaped, mentions and links disarmed.
    static func text(_ value: String) -> String {
        var output = ""
        for character in AlertFormatter.printable(value) {
            if "\\`*_[]<>|#@!~".contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }
}
