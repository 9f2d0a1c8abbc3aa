/// Unix seconds to and from ISO-8601 UTC text, without Foundation (the core does no I/O and
/// must stay cheap to start).
public enum UTCTime {
    /// `2026-03-29T01:30:00Z`. Any `Int64` formats, `Int64.min` and `.max` included.
    public static func iso8601(_ seconds: Int64) -> String {
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else {
            return
                "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int(secondOfDay / 3600), 2)):\(pad(Int(secondOfDay % 3600 / 60), 2)):\(pad(Int(secondOfDay % 60), 2))Z"
        }
        // The common case, digit by digit into one buffer: this runs for every alert line.
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var rest = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, 4, at: 0); buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5); buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8); buffer[10] = UInt8(ascii: "T")
            put(Int(secondOfDay / 3600), 2, at: 11); buffer[13] = UInt8(ascii: ":")
            put(Int(secondOfDay % 3600 / 60), 2, at: 14); buffer[16] = UInt8(ascii: ":")
            put(Int(secondOfDay % 60), 2, at: 17); buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` with an optional fraction and `Z` or `±HH:MM`; a date alone is midnight UTC.
    public static func parse(_ text: String) -> Int64? {
        let characters = Array(text.utf8)
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= characters.count else { return nil }
            var value = 0
            for byte in characters[start..<start + length] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), characters.count >= 10, characters[4] == 45, let month = number(5, 2),
            characters[7] == 45, let day = number(8, 2), (1...12).contains(month),
            (1...daysIn(month, year)).contains(day)
        else { return nil }
        var seconds = days(fromCivil: year, month, day) * 86_400
        if characters.count == 10 { return seconds }
        guard characters[10] == 84 || characters[10] == 116 || characters[10] == 32,
            let hour = number(11, 2), characters.count > 13, characters[13] == 58, let minute = number(14, 2),
            hour < 24, minute < 60
        else { return nil }
        var index = 16
        var second = 0
        if index < characters.count && characters[index] == 58 {
            guard let value = number(17, 2), value < 61 else { return nil }
            second = value
            index = 19
            if index < characters.count && characters[index] == 46 {
                index += 1
                while index < characters.count && characters[index] >= 48 && characters[index] <= 57 { index += 1 }
            }
        }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        guard index < characters.count else { return nil }  // a time needs a zone: no guessing
        if characters[index] == 90 || characters[index] == 122 { return index + 1 == characters.count ? seconds : nil }
        guard characters[index] == 43 || characters[index] == 45, let offsetHours = number(index + 1, 2) else {
            return nil
        }
        var offsetMinutes = 0
        if index + 3 < characters.count {
            let minuteStart = characters[index + 3] == 58 ? index + 4 : index + 3
            guard let value = number(minuteStart, 2), minuteStart + 2 == characters.count else { return nil }
            offsetMinutes = value
        } else if index + 3 != characters.count {
            return nil
        }
        let offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
        return characters[index] == 43 ? seconds - offset : seconds + offset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01.
    public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension Int64 {
    /// Floor division with a non-negative remainder (no overflow at `Int64.min`).
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = self / divisor
        var remainder = self % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
