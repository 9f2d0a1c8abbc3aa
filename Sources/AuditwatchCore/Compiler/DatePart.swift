/// Sigma v2.1's date-part modifiers, read from a field holding Unix seconds or an ISO-8601 time,
/// in UTC as the specification says (calendars are the time-zone-aware way).
enum DatePart: String, Sendable, CaseIterable {
    case minute, hour, day, week, month, year

    /// The part of `seconds` (UTC): day is the day of the month, week the ISO-8601 week number.
    func value(of seconds: Int64) -> Int {
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let date = UTCTime.civil(fromDays: days)
        switch self {
        case .minute: return Int(secondOfDay / 60 % 60)
        case .hour: return Int(secondOfDay / 3600)
        case .day: return date.day
        case .month: return date.month
        case .year: return date.year
        case .week: return DatePart.isoWeek(days: days)
        }
    }

    static func isoWeek(days: Int64) -> Int {
        let weekday = Int((days + 3).floorDivided(by: 7).remainder) + 1  // Monday 1 … Sunday 7
        let thursday = days - Int64(weekday) + 4
        let year = UTCTime.civil(fromDays: thursday).year
        let firstOfYear = UTCTime.days(fromCivil: year, 1, 1)
        return Int((thursday - firstOfYear) / 7) + 1
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
