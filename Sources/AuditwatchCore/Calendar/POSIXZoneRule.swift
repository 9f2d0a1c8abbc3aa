/// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3`: standard and daylight offsets and the
/// yearly moments daylight time starts and ends (RFC 8536 §3.3, with its extensions: hours
/// beyond 24 and negative transition times).
struct POSIXZoneRule: Sendable {
    enum Day: Sendable {
        case monthWeekDay(month: Int, week: Int, weekday: Int)  // Mm.w.d
        case julianNoLeap(Int)  // Jn, 1…365, Feb 29 never counted
        case zeroBasedDay(Int)  // n, 0…365
    }

    let standardOffset: Int  // seconds east of UTC
    let standardName: String
    let daylight: (offset: Int, start: Day, startTime: Int, end: Day, endTime: Int)?
    let daylightName: String

    init?(_ text: String) {
        var scanner = Substring(text)
        guard let standardText = POSIXZoneRule.name(&scanner), let standard = POSIXZoneRule.time(&scanner) else {
            return nil
        }
        standardOffset = -standard
        standardName = LocalTimeType.printable(standardText, offset: -standard)
        guard !scanner.isEmpty else { daylight = nil; daylightName = standardName; return }
        guard let daylightText = POSIXZoneRule.name(&scanner) else { return nil }
        var dstOffset = standardOffset + 3600
        if let first = scanner.first, first != "," {
            guard let value = POSIXZoneRule.time(&scanner) else { return nil }
            dstOffset = -value
        }
        guard scanner.first == "," else { return nil }
        scanner.removeFirst()
        guard let start = POSIXZoneRule.rule(&scanner) else { return nil }
        guard scanner.first == "," else { return nil }
        scanner.removeFirst()
        guard let end = POSIXZoneRule.rule(&scanner), scanner.isEmpty else { return nil }
        daylight = (dstOffset, start.day, start.time, end.day, end.time)
        daylightName = LocalTimeType.printable(daylightText, offset: dstOffset)
    }

    func localTimeType(at instant: Int64) -> LocalTimeType {
        guard let daylight, isDaylight(at: instant, daylight) else {
            return LocalTimeType(offset: standardOffset, abbreviation: standardName)
        }
        return LocalTimeType(offset: daylight.offset, abbreviation: daylightName)
    }

    func offset(at instant: Int64) -> Int {
        localTimeType(at: instant).offset
    }

    private func isDaylight(
        at instant: Int64, _ daylight: (offset: Int, start: Day, startTime: Int, end: Day, endTime: Int)
    ) -> Bool {
        let year = UTCTime.civil(fromDays: (instant + Int64(standardOffset)).floorDivided(by: 86_400).quotient).year
        // Transition times are local: the start in standard time, the end in daylight time.
        let start =
            POSIXZoneRule.localSeconds(daylight.start, year: year) + Int64(daylight.startTime)
            - Int64(standardOffset)
        let end =
            POSIXZoneRule.localSeconds(daylight.end, year: year) + Int64(daylight.endTime) - Int64(daylight.offset)
        return start < end ? (instant >= start && instant < end) : (instant < end || instant >= start)
    }

    /// Seconds from the epoch to local midnight of `day` in `year`.
    private static func localSeconds(_ day: Day, year: Int) -> Int64 {
        let days: Int64
        switch day {
        case let .monthWeekDay(month, week, weekday):
            let first = UTCTime.days(fromCivil: year, month, 1)
            let firstWeekday = Int((first + 4).floorDivided(by: 7).remainder)  // 0 = Sunday
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            let length = UTCTime.daysIn(month, year)
            while dayOfMonth > length { dayOfMonth -= 7 }
            days = first + Int64(dayOfMonth - 1)
        case .julianNoLeap(let number):
            let isLeap = UTCTime.daysIn(2, year) == 29
            days = UTCTime.days(fromCivil: year, 1, 1) + Int64(number - 1) + (isLeap && number >= 60 ? 1 : 0)
        case .zeroBasedDay(let number):
            days = UTCTime.days(fromCivil: year, 1, 1) + Int64(number)
        }
        return days * 86_400
    }

    /// A zone abbreviation: letters (`EST`) or quoted (`<+03>`, given without the brackets).
    private static func name(_ scanner: inout Substring) -> String? {
        if scanner.first == "<" {
            guard let close = scanner.firstIndex(of: ">") else { return nil }
            let text = String(scanner[scanner.index(after: scanner.startIndex)..<close])
            scanner = scanner[scanner.index(after: close)...]
            return text
        }
        let letters = scanner.prefix { $0.isLetter }
        guard letters.count >= 3 else { return nil }
        scanner = scanner.dropFirst(letters.count)
        return String(letters)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    private static func time(_ scanner: inout Substring) -> Int? {
        var sign = 1
        if scanner.first == "+" || scanner.first == "-" {
            if scanner.first == "-" { sign = -1 }
            scanner.removeFirst()
        }
        var parts: [Int] = []
        while parts.count < 3 {
            let digits = scanner.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int(digits) else { return parts.isEmpty ? nil : nil }
            parts.append(value)
            scanner = scanner.dropFirst(digits.count)
            guard scanner.first == ":" else { break }
            scanner.removeFirst()
        }
        guard !parts.isEmpty else { return nil }
        let seconds = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
        return sign * seconds
    }

    private static func rule(_ scanner: inout Substring) -> (day: Day, time: Int)? {
        let day: Day
        if scanner.first == "M" {
            scanner.removeFirst()
            let pieces = scanner.prefix { $0 != "/" && $0 != "," }.split(separator: ".")
            guard pieces.count == 3, let month = Int(pieces[0]), let week = Int(pieces[1]),
                let weekday = Int(pieces[2]),
                (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday)
            else { return nil }
            scanner = scanner.dropFirst(pieces.map(\.count).reduce(2, +))
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else if scanner.first == "J" {
            scanner.removeFirst()
            let digits = scanner.prefix { $0.isNumber }
            guard let number = Int(digits), (1...365).contains(number) else { return nil }
            scanner = scanner.dropFirst(digits.count)
            day = .julianNoLeap(number)
        } else {
            let digits = scanner.prefix { $0.isNumber }
            guard let number = Int(digits), (0...365).contains(number) else { return nil }
            scanner = scanner.dropFirst(digits.count)
            day = .zeroBasedDay(number)
        }
        var time = 7200
        if scanner.first == "/" {
            scanner.removeFirst()
            guard let value = POSIXZoneRule.time(&scanner) else { return nil }
            time = value
        }
        return (day, time)
    }
}
