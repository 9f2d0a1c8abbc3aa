import AuditwatchConsole
import AuditwatchCore

/// `backtest --report`: one self-contained HTML file with the volume per rule per day, the
/// noisiest rules and the top groups of each rule, for tuning a threshold by looking.
public struct BacktestReport: Sendable {
    public var tally: BacktestTally
    /// Where the events came from (a file path or `source acme since 30d`), shown in the header.
    public var origin: String
    /// How many rules were loaded (rules that raised nothing are counted too).
    public var loadedRules: Int
    /// Rules drawn one chart each, the noisiest first; the table lists every rule.
    public var detailedRules = 20
    public var topGroups = 5

    public init(tally: BacktestTally, origin: String, loadedRules: Int) {
        self.tally = tally
        self.origin = origin
        self.loadedRules = loadedRules
    }

    public func html() -> String {
        var page = HTMLPage(title: "auditwatch backtest")
        let ranked = tally.rulesByVolume
        let total = ranked.reduce(0) { $0 + $1.alerts }
        guard let range = tally.dayRange else {
            page.append(meta(range: nil, total: 0, fired: 0))
            page.append("<p>No events were read and no alert was raised.</p>")
            return page.render()
        }
        page.append(meta(range: range, total: total, fired: ranked.count))
        let (labels, width) = ReportDay.columns(range)
        let unit = width == 1 ? "day" : "week"
        func counts(_ tally: BacktestTally.RuleTally) -> [Int] {
            var columns = [Int](repeating: 0, count: labels.count)
            for (day, count) in tally.perDay {
                columns[Int((day - range.lowerBound) / width)] += count
            }
            return columns
        }
        // The stack: the seven noisiest rules by colour, the rest as one grey series.
        var series = ranked.prefix(7).enumerated().map { index, rule in
            DailyChart.Series(name: rule.ruleID, counts: counts(rule), color: ChartPalette.color(index))
        }
        if ranked.count > 7 {
            var rest = [Int](repeating: 0, count: labels.count)
            for rule in ranked.dropFirst(7) {
                for (index, value) in counts(rule).enumerated() { rest[index] += value }
            }
            series.append(DailyChart.Series(name: "other rules", counts: rest, color: ChartPalette.other))
        }
        let daily = DailyChart(title: "Alerts per \(unit), by rule", columns: labels, series: series)
        page.append("<h2 id=\"per-day\">Alerts per \(unit)</h2>" + daily.svg() + daily.legend())
        page.append(noisiest(ranked))
        page.append(ruleTable(ranked, days: labels.count * Int(width)))
        page.append("<h2 id=\"rules\">Each rule</h2>")
        for (index, rule) in ranked.prefix(detailedRules).enumerated() {
            page.append(ruleSection(rule, labels: labels, counts: counts(rule), unit: unit, color: index))
        }
        if ranked.count > detailedRules {
            page.append("<p class=\"meta\">\(ranked.count - detailedRules) quieter rules are in the table only.</p>")
        }
        return page.render()
    }

    private func meta(range: ClosedRange<Int64>?, total: Int, fired: Int) -> String {
        let span = range.map { "\(ReportDay.label($0.lowerBound)) to \(ReportDay.label($0.upperBound)) (UTC)" }
        return """
            <p class="meta">Events: <code>\(HTMLText.escape(origin))</code>\(span.map { ", \($0)" } ?? "").</p>
            <table class="summary"><tr><th>Events read</th><td class="num">\(HTMLText.count(tally.eventCount))</td></tr>\
            <tr><th>Alerts</th><td class="num">\(HTMLText.count(total))</td></tr>\
            <tr><th>Rules that fired</th><td class="num">\(fired) of \(loadedRules)</td></tr></table>
            """
    }

    private func noisiest(_ ranked: [BacktestTally.RuleTally]) -> String {
        let rows = ranked.prefix(15).map { BarChart.Row(label: $0.ruleID, values: [$0.alerts]) }
        guard !rows.isEmpty else { return "<h2 id=\"noisiest\">Noisiest rules</h2><p>No rule fired.</p>" }
        return "<h2 id=\"noisiest\">Noisiest rules</h2>" + BarChart(title: "Alerts per rule", rows: rows).svg()
    }

    private func ruleTable(_ ranked: [BacktestTally.RuleTally], days: Int) -> String {
        var html = """
            <table class="rules"><thead><tr><th>Rule</th><th>Level</th><th class="num">Alerts</th>\
            <th class="num">Per day</th><th class="num">Peak day</th><th>Last fired (UTC)</th></tr></thead><tbody>
            """
        for rule in ranked {
            let peak = rule.perDay.max { ($0.value, $1.key) < ($1.value, $0.key) }
            let perDay = Double(rule.alerts) / Double(max(1, days))
            html += """
                <tr data-rule="\(HTMLText.escape(rule.ruleID))"><td><code>\(HTMLText.escape(rule.ruleID))</code> \
                \(HTMLText.escape(rule.title))</td><td>\(rule.level.rawValue)</td>\
                <td class="num">\(HTMLText.count(rule.alerts))</td>\
                <td class="num">\(HTMLText.oneDecimal(perDay))</td>\
                <td class="num">\(peak.map { "\(HTMLText.count($0.value)) on \(ReportDay.label($0.key))" } ?? "")</td>\
                <td class="time">\(UTCTime.iso8601(rule.lastAt))</td></tr>
                """
        }
        return html + "</tbody></table>"
    }

    private func ruleSection(
        _ rule: BacktestTally.RuleTally, labels: [String], counts: [Int], unit: String, color: Int
    ) -> String {
        let chart = DailyChart(
            title: "\(rule.ruleID): alerts per \(unit)", columns: labels,
            series: [DailyChart.Series(name: rule.ruleID, counts: counts, color: ChartPalette.color(color))])
        var html = """
            <h3 id="rule-\(HTMLText.escape(rule.ruleID))"><code>\(HTMLText.escape(rule.ruleID))</code> \
            \(HTMLText.escape(rule.title)): \(HTMLText.count(rule.alerts)) alerts</h3>
            """
        html += chart.svg(height: 140)
        guard rule.grouped else { return html + "<p class=\"meta\">One alert per matching event (no group-by).</p>" }
        let top = rule.groups.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(topGroups)
        html +=
            "<table class=\"groups\"><thead><tr><th>Top groups</th><th class=\"num\">Alerts</th></tr></thead><tbody>"
        for (group, count) in top {
            html +=
                "<tr><td><code>\(HTMLText.escape(group))</code></td><td class=\"num\">\(HTMLText.count(count))</td></tr>"
        }
        html += "</tbody></table>"
        if rule.groups.count > topGroups {
            html += "<p class=\"meta\">\(HTMLText.count(rule.groups.count)) groups in all.</p>"
        }
        if rule.overflowAlerts > 0 {
            html += """
                <p class="meta">\(HTMLText.count(rule.overflowAlerts)) alerts belong to groups beyond the first \
                \(HTMLText.count(BacktestTally.groupLimit)) seen, counted without their group.</p>
                """
        }
        return html
    }
}
