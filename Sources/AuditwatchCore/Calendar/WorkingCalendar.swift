/// A named calendar (auditwatch extension) for "outside business hours" rules: intervals of
/// local wall-clock time in an IANA zone, with holidays.
///
/// Membership uses the local time of the instant: the hour skipped in spring never occurs, the
/// hour repeated in autumn matches twice. An overnight range (`22:00`–`06:00`) belongs to the day
/// it starts on: its weekday, date filters and holidays are those of that day.
public struct WorkingCalendar: Sendable {
    public let name: String
    public let zone: ZoneRules
    let intervals: [Interval]
    /// Local dates (days since 1970-01-01) that are outside the calendar.
    let holidays: Set<Int64>

    struct Interval: Sendable {
        /// 0 Sunday … 6 Saturday; nil: any day.
        var weekdays: Set<Int>?
        /// Seconds of the day, start inclusive, end exclusive; start > end runs past midnight.
        var times: [(start: Int, end: Int)]
        /// 1…31, or -1 for the last day of the month and so on; nil: any day.
        var daysOfMonth: [ClosedRange<Int>]?
        var months: Set<Int>?
        var years: [ClosedRange<Int>]?
    }

    init(name: String, zone: ZoneRules, intervals: [Interval], holidays: Set<Int64>) {
        self.name = name
        self.zone = zone
        self.intervals = intervals
        self.holidays = holidays
    }

    /// Whether `instant` (Unix seconds) falls inside the calendar.
    public func contains(_ instant: Int64) -> Bool {
        let local = instant + Int64(zone.offset(at: instant))
        let (day, secondOfDay) = local.floorDivided(by: 86_400)
        let second = Int(secondOfDay)
        for interval in intervals {
            if interval.times.isEmpty {
                if dayMatches(interval, day) { return true }
                continue
            }
            for range in interval.times {
                if range.start < range.end {
                    if second >= range.start && second < range.end && dayMatches(interval, day) { return true }
                } else {
                    if second >= range.start && dayMatches(interval, day) { return true }
                    if second < range.end && dayMatches(interval, day - 1) { return true }
                }
            }
        }
        return false
    }

    private func dayMatches(_ interval: Interval, _ day: Int64) -> Bool {
        if holidays.contains(day) { return false }
        if let weekdays = interval.weekdays, !weekdays.contains(Int((day + 4).floorDivided(by: 7).remainder)) {
            return false
        }
        let date = UTCTime.civil(fromDays: day)
        if let months = interval.months, !months.contains(date.month) { return false }
        if let years = interval.years, !years.contains(where: { $0.contains(date.year) }) { return false }
        if let days = interval.daysOfMonth {
            let length = UTCTime.daysIn(date.month, date.year)
            let matches = days.contains { range in
                let low = range.lowerBound < 0 ? length + range.lowerBound + 1 : range.lowerBound
                let high = range.upperBound < 0 ? length + range.upperBound + 1 : range.upperBound
                return date.day >= low && date.day <= high
            }
            if !matches { return false }
        }
        return true
    }
}
