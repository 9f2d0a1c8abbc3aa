import AuditwatchConsole

/// A horizontal bar chart as inline SVG: one labelled bar per row, the value at its end.
///
/// Rows carry one value, or two (before and after) drawn as a pair for a diff.
public struct BarChart: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var values: [Int]

        public init(label: String, values: [Int]) {
            self.label = label
            self.values = values
        }
    }

    public var rows: [Row]
    /// Accessible title of the chart.
    public var title: String
    public var colors: [String]

    public init(title: String, rows: [Row], colors: [String] = [ChartPalette.after]) {
        self.title = title
        self.rows = rows
        self.colors = colors
    }

    public func svg(width: Int = 960) -> String {
        let series = max(1, rows.map(\.values.count).max() ?? 1)
        let labelWidth = 300
        let barHeight = series == 1 ? 18 : 12
        let rowHeight = barHeight * series + 10
        let height = max(1, rows.count) * rowHeight + 8
        let plotWidth = width - labelWidth - 90
        let largest = max(1, rows.flatMap(\.values).max() ?? 1)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)"><title>\(HTMLText.escape(title))</title>
            """
        for (index, row) in rows.enumerated() {
            let top = index * rowHeight + 4
            let label = HTMLText.escape(Self.shortened(row.label, to: 44))
            svg += """
                <text x="\(labelWidth - 8)" y="\(top + rowHeight / 2 + 1)" text-anchor="end" \
                dominant-baseline="middle">\(label)</text>
                """
            for (position, value) in row.values.enumerated() {
                let y = top + position * barHeight
                let length = value == 0 ? 0 : max(2, Int((Double(value) / Double(largest)) * Double(plotWidth)))
                let color = colors[position % colors.count]
                svg += """
                    <rect x="\(labelWidth)" y="\(y)" width="\(length)" height="\(barHeight - 2)" fill="\(color)" \
                    rx="2"><title>\(label): \(HTMLText.count(value))</title></rect>\
                    <text x="\(labelWidth + length + 6)" y="\(y + barHeight / 2)" dominant-baseline="middle" \
                    class="muted">\(HTMLText.count(value))</text>
                    """
            }
        }
        return svg + "</svg>"
    }

    /// Long labels end in an ellipsis; the full text stays in the table beside the chart.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
