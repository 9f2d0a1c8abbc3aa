/// Sigma v2.1's date-part modifiers, read from a field holding Unix seconds or an ISO-8601 time,
/// in UTC as the specification says (calendars are the time-zone-aware way).
enum DatePart: String, Sendable, CaseIterable {
    case minute, hour, day, week, month, year

    /// The part of `seconds` (UTC): day is the day of the month, week as `strftime("%W")`.
    func value(of seconds: Int64) -> Int {
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let date = UTCTime.civil(fromDays: days)
        switch self {
        case .minute: return Int(secondOfDay / 60 % 60)
        case .hour: return Int(secondOfDay / 3600)
        case .day: return date.day
        case .month: return date.month
        case .year: return date.year
        case .week: return DatePart.mondayWeek(days: days)
        }
    }

    /// The week of the year with weeks starting on Monday, days before the year's first Monday
    /// in week 0 (0 … 53): `strftime("%W")`, which the reference backend uses. The spec names no
    /// numbering; ISO 8601 weeks (1 … 53, week 1 holding January 4) differ around New Year.
    static func mondayWeek(days: Int64) -> Int {
        let weekday = Int((days + 3).floorDivided(by: 7).remainder)   // Monday 0 … Sunday 6
        let date = UTCTime.civil(fromDays: days)
        let dayOfYear = Int(days - UTCTime.days(fromCivil: date.year, 1, 1))
        return (dayOfYear + 7 - weekday) / 7
    }

    /// Unix seconds from a JSON number or an ISO-8601 string.
    static func seconds(_ document: EventView, _ node: Int) -> Int64? {
        switch document.kind(node) {
        case .number: return document.int64(node) ?? document.double(node).map { Int64($0.rounded(.down)) }
        case .string: return document.text(node).flatMap(UTCTime.parse)
        default: return nil
        }
    }
}
