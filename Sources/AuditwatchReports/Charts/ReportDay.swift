import AuditwatchCore

/// UTC days, the unit of every report chart.
enum ReportDay {
    /// Days since 1970-01-01 (UTC), rounding down for times before it.
    static func number(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    }

    /// `2026-06-01`.
    static func label(_ day: Int64) -> String {
        String(UTCTime.iso8601(day * 86_400).prefix(10))
    }

    /// The columns of a chart over `range`: one per day, or one per week past 120 days, so a
    /// column stays wide enough to read. Returns the labels and the column of each day.
    static func columns(_ range: ClosedRange<Int64>) -> (labels: [String], width: Int64) {
        let days = range.upperBound - range.lowerBound + 1
        let width: Int64 = days > 120 ? 7 : 1
        let count = Int((days + width - 1) / width)
        return ((0..<count).map { label(range.lowerBound + Int64($0) * width) }, width)
    }
}
