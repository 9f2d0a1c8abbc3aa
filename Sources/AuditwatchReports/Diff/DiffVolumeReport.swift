import AuditwatchConsole
public import AuditwatchCore

/// `rules diff --report`: alert volume per rule before and after a rule change, over the same
/// logs, for a pull request's reviewer.
public struct DiffVolumeReport: Sendable {
    public struct Volume: Sendable, Equatable {
        public var ruleID: String
        public var before: Int
        public var after: Int

        public init(ruleID: String, before: Int, after: Int) {
            self.ruleID = ruleID
            self.before = before
            self.after = after
        }

        public var delta: Int { after - before }
    }

    /// One row per rule that raised an alert on either side, the largest change first.
    public var volumes: [Volume]
    /// The logs both rule sets ran over.
    public var logs: [String]
    /// What the two rule sets were (`main` and the working tree, or two directories).
    public var beforeName: String
    public var afterName: String
    public var added: Int
    public var removed: Int
    public var changed: Int

    /// Counts alerts per rule on each side.
    public init(
        before: [Alert], after: [Alert], logs: [String], beforeName: String, afterName: String,
        added: Int, removed: Int, changed: Int
    ) {
        var counts: [String: (Int, Int)] = [:]
        for alert in before { counts[alert.ruleID, default: (0, 0)].0 += 1 }
        for alert in after { counts[alert.ruleID, default: (0, 0)].1 += 1 }
        volumes = counts.map { Volume(ruleID: $0.key, before: $0.value.0, after: $0.value.1) }
            .sorted { (abs($0.delta), $1.ruleID) > (abs($1.delta), $0.ruleID) }
        self.logs = logs
        self.beforeName = beforeName
        self.afterName = afterName
        self.added = added
        self.removed = removed
        self.changed = changed
    }

    public func html() -> String {
        var page = HTMLPage(title: "auditwatch rules diff")
        let totalBefore = volumes.reduce(0) { $0 + $1.before }
        let totalAfter = volumes.reduce(0) { $0 + $1.after }
        page.append(
            """
            <p class="meta">Before: <code>\(HTMLText.escape(beforeName))</code>, after: \
            <code>\(HTMLText.escape(afterName))</code>, over \
            \(logs.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: ", ")).</p>
            <table class="summary"><tr><th>Alerts before</th><td class="num">\(HTMLText.count(totalBefore))</td></tr>\
            <tr><th>Alerts after</th><td class="num">\(HTMLText.count(totalAfter))</td></tr>\
            <tr><th>Added / removed / changed</th><td class="num">\(added) / \(removed) / \(changed)</td></tr></table>
            """)
        guard !volumes.isEmpty else {
            page.append("<p>Neither rule set raised an alert over these logs.</p>")
            return page.render()
        }
        let shown = volumes.prefix(25)
        let chart = BarChart(
            title: "Alerts per rule, before and after",
            rows: shown.map { BarChart.Row(label: $0.ruleID, values: [$0.before, $0.after]) },
            colors: [ChartPalette.before, ChartPalette.after])
        page.append(
            """
            <h2 id="volumes">Alerts per rule</h2>\(chart.svg())<p class="legend">\
            <span><i style="background:\(ChartPalette.before)"></i>before</span>\
            <span><i style="background:\(ChartPalette.after)"></i>after</span></p>
            """)
        var table = """
            <table class="rules"><thead><tr><th>Rule</th><th class="num">Before</th><th class="num">After</th>\
            <th class="num">Change</th></tr></thead><tbody>
            """
        for volume in volumes {
            let change =
                volume.delta == 0
                ? "0"
                : volume.delta > 0
                    ? "<span class=\"up\">+\(HTMLText.count(volume.delta))</span>"
                    : "<span class=\"down\">\(HTMLText.count(volume.delta))</span>"
            table += """
                <tr data-rule="\(HTMLText.escape(volume.ruleID))"><td><code>\(HTMLText.escape(volume.ruleID))</code></td>\
                <td class="num">\(HTMLText.count(volume.before))</td><td class="num">\(HTMLText.count(volume.after))</td>\
                <td class="num">\(change)</td></tr>
                """
        }
        page.append(table + "</tbody></table>")
        return page.render()
    }
}
