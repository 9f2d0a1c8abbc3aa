/// Reads a `calendar:` document. Keys follow Alertmanager's `time_intervals` (`times`,
/// `weekdays`, `days_of_month`, `months`, `years`) plus a required `location` and `holidays`.
public enum CalendarDecoder {
    static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    /// Decodes the document; `zone` resolves an IANA name (the adapter reads the zone database).
    public static func decode(
        _ document: DocumentNode, zone: (String) -> Result<ZoneRules, ZoneError>
    ) -> (calendar: WorkingCalendar?, diagnostics: [Diagnostic]) {
        var top = MappingReader(document, what: "a calendar document", known: ["calendar"])
        guard let body = top["calendar"] else { return (nil, top.diagnostics) }
        let name = body["name"]?.scalar?.text
        var reader = MappingReader(
            body, what: "'calendar'", known: ["name", "location", "time_intervals", "holidays", "description"],
            ruleID: name)
        var diagnostics = top.diagnostics
        let calendarName = reader.string("name", required: true, what: "'calendar'")
        var rules: ZoneRules?
        if let location = reader.string(
            "location", required: true, what: "'calendar' (an IANA time zone such as Europe/Berlin)")
        {
            switch zone(location) {
            case .success(let found): rules = found
            case .failure(let error):
                reader.diagnostics.append(.error(error.message, at: reader["location"]!.location, ruleID: name))
            }
        }
        var intervals: [WorkingCalendar.Interval] = []
        if let list = reader["time_intervals"] {
            if let items = list.sequence {
                for item in items {
                    if let interval = decodeInterval(item, calendar: name, diagnostics: &reader.diagnostics) {
                        intervals.append(interval)
                    }
                }
            } else {
                reader.diagnostics.append(.error("'time_intervals' must be a list", at: list.location, ruleID: name))
            }
        } else {
            reader.diagnostics.append(
                .error("missing required key 'time_intervals' in 'calendar'", at: body.location, ruleID: name))
        }
        var holidays: Set<Int64> = []
        if let list = reader["holidays"] {
            for item in list.sequence ?? [list] {
                guard let text = item.scalar?.text, text.count == 10, let midnight = UTCTime.parse(text) else {
                    reader.diagnostics.append(
                        .error("a holiday must be a date like 2026-12-24", at: item.location, ruleID: name))
                    continue
                }
                holidays.insert(midnight / 86_400)
            }
        }
        diagnostics += reader.diagnostics
        guard let calendarName, let rules, !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (WorkingCalendar(name: calendarName, zone: rules, intervals: intervals, holidays: holidays), diagnostics)
    }

    private static func decodeInterval(
        _ node: DocumentNode, calendar: String?, diagnostics: inout [Diagnostic]
    ) -> WorkingCalendar.Interval? {
        var reader = MappingReader(
            node, what: "a time interval", known: ["times", "weekdays", "days_of_month", "months", "years"],
            ruleID: calendar)
        var interval = WorkingCalendar.Interval(weekdays: nil, times: [], daysOfMonth: nil, months: nil, years: nil)
        if let times = reader["times"] {
            for item in times.sequence ?? [] {
                var range = MappingReader(
                    item, what: "a time range", known: ["start_time", "end_time"], ruleID: calendar)
                let start = range.string("start_time", required: true, what: "a time range").flatMap {
                    clock($0, allow24: false)
                }
                let end = range.string("end_time", required: true, what: "a time range").flatMap {
                    clock($0, allow24: true)
                }
                if range.diagnostics.isEmpty && (start == nil || end == nil) {
                    range.diagnostics.append(
                        .error("times are HH:MM from 00:00 to 24:00", at: item.location, ruleID: calendar))
                } else if let start, let end, start == end {
                    range.diagnostics.append(
                        .error(
                            "a time range must not start and end at the same time", at: item.location, ruleID: calendar)
                    )
                }
                reader.diagnostics += range.diagnostics
                if let start, let end, start != end { interval.times.append((start, end)) }
            }
            if times.sequence == nil {
                reader.diagnostics.append(
                    .error("'times' must be a list of {start_time, end_time}", at: times.location, ruleID: calendar))
            }
        }
        func ranges(_ key: String, names: [String], base: Int, bounds: ClosedRange<Int>) -> [ClosedRange<Int>]? {
            guard let node = reader[key] else { return nil }
            var result: [ClosedRange<Int>] = []
            for item in node.sequence ?? [node] {
                guard let text = item.scalar?.text.lowercased() else { continue }
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                let values = parts.map { part -> Int? in
                    if let index = names.firstIndex(of: part) { return index + base }
                    return Int(part)
                }
                guard !values.contains(where: { $0 == nil }), let low = values.first!, let high = values.last!,
                    bounds.contains(low), bounds.contains(high), (low <= high || (low < 0) != (high < 0))
                else {
                    reader.diagnostics.append(
                        .error(
                            "'\(text)' is not a valid \(key) value or range\(names.isEmpty ? "" : Suggestions.didYouMean(text, in: names))",
                            at: item.location, ruleID: calendar))
                    continue
                }
                result.append(min(low, high)...max(low, high))
            }
            return result
        }
        if let days = ranges("weekdays", names: weekdayNames, base: 0, bounds: 0...6) {
            interval.weekdays = Set(days.flatMap { Array($0) })
        }
        interval.daysOfMonth = ranges("days_of_month", names: [], base: 0, bounds: -31...31)
        if let months = ranges("months", names: monthNames, base: 1, bounds: 1...12) {
            interval.months = Set(months.flatMap { Array($0) })
        }
        interval.years = ranges("years", names: [], base: 0, bounds: 1970...9999)
        diagnostics += reader.diagnostics
        return reader.diagnostics.hasErrors ? nil : interval
    }

    /// `HH:MM` as seconds of the day.
    static func clock(_ text: String, allow24: Bool) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]),
            let minutes = Int(parts[1]),
            minutes >= 0, minutes < 60, hours >= 0, hours < 24 || (allow24 && hours == 24 && minutes == 0)
        else { return nil }
        return hours * 3600 + minutes * 60
    }
}
