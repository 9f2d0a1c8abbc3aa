import AuditwatchConsole

/// Alerts per day as stacked columns, one colour per series (a rule, or "other rules"), as inline SVG.
public struct DailyChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        /// One count per column, oldest first.
        public var counts: [Int]
        public var color: String

        public init(name: String, counts: [Int], color: String) {
            self.name = name
            self.counts = counts
            self.color = color
        }
    }

    public var title: String
    /// The label of each column (`2026-06-01`), oldest first.
    public var columns: [String]
    public var series: [Series]

    public init(title: String, columns: [String], series: [Series]) {
        self.title = title
        self.columns = columns
        self.series = series
    }

    public func svg(width: Int = 960, height: Int = 260) -> String {
        let left = 48
        let bottom = 36
        let plotWidth = width - left - 12
        let plotHeight = height - bottom - 12
        let totals = columns.indices.map { column in series.reduce(0) { $0 + ($1.counts[safe: column] ?? 0) } }
        let tick = Self.tickStep(totals.max() ?? 1)
        let ticks = max(1, ((totals.max() ?? 1) + tick - 1) / tick)
        let largest = tick * ticks
        let step = Double(plotWidth) / Double(max(1, columns.count))
        let barWidth = min(48, max(1.0, step * 0.8))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)"><title>\(HTMLText.escape(title))</title>
            """
        // Gridlines at round values (1, 2 or 5 times a power of ten), labelled.
        for index in 0...ticks {
            let value = tick * index
            let y = 12 + plotHeight - Int(Double(plotHeight) * Double(index) / Double(ticks))
            svg += """
                <line x1="\(left)" x2="\(width - 12)" y1="\(y)" y2="\(y)" stroke="#e3e6ec"/>\
                <text x="\(left - 6)" y="\(y)" text-anchor="end" dominant-baseline="middle" \
                class="muted">\(HTMLText.count(value))</text>
                """
        }
        for column in columns.indices {
            let x = Double(left) + Double(column) * step + (step - barWidth) / 2
            var base = 12 + plotHeight
            for entry in series {
                let value = entry.counts[safe: column] ?? 0
                guard value > 0 else { continue }
                let barHeight = max(1, Int(Double(plotHeight) * Double(value) / Double(largest)))
                base -= barHeight
                svg += """
                    <rect x="\(Self.format(x))" y="\(base)" width="\(Self.format(barWidth))" height="\(barHeight)" \
                    fill="\(entry.color)"><title>\(HTMLText.escape(columns[column])) \
                    \(HTMLText.escape(entry.name)): \(HTMLText.count(value))</title></rect>
                    """
            }
        }
        // At most about twelve date labels, so they never overlap.
        let every = max(1, Int((Double(columns.count) / 12).rounded(.up)))
        for column in stride(from: 0, to: columns.count, by: every) {
            let x = Double(left) + Double(column) * step + step / 2
            svg += """
                <text x="\(Self.format(x))" y="\(height - bottom + 18)" text-anchor="middle" \
                class="muted">\(HTMLText.escape(columns[column]))</text>
                """
        }
        return svg + "</svg>"
    }

    /// The chart's key: one coloured swatch per series.
    public func legend() -> String {
        "<p class=\"legend\">"
            + series.map { "<span><i style=\"background:\($0.color)\"></i>\(HTMLText.escape($0.name))</span>" }
            .joined() + "</p>"
    }

    /// A step of 1, 2 or 5 times a power of ten that splits `largest` into at most five bands.
    static func tickStep(_ largest: Int) -> Int {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] where largest <= factor * magnitude * 5 { return factor * magnitude }
            magnitude *= 10
        }
    }

    static func format(_ value: Double) -> String {
        String(Double(Int(value * 10)) / 10)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
