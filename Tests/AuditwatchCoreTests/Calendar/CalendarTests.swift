import Foundation
import Testing

@testable import AuditwatchCore

/// Zone rules from this machine's tz database (Debian's tzdata), for the DST tests.
func systemZone(_ name: String) throws -> ZoneRules {
    let data = try #require(
        FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + name),
        "tzdata is required (apt-get install tzdata)")
    return try ZoneRules(name: name, tzif: Array(data))
}

func seconds(_ iso: String) -> Int64 { UTCTime.parse(iso)! }

@Suite("Time zones and calendars")
struct CalendarTests {
    @Test(
        "Berlin offsets across both 2026 transitions",
        arguments: [
            ("2026-03-29T00:59:59Z", 3600), ("2026-03-29T01:00:00Z", 7200),  // 02:00 CET becomes 03:00 CEST
            ("2026-10-25T00:59:59Z", 7200), ("2026-10-25T01:00:00Z", 3600),  // 03:00 CEST becomes 02:00 CET
            ("2026-07-01T12:00:00Z", 7200), ("2026-01-15T12:00:00Z", 3600),
            ("2045-07-01T12:00:00Z", 7200), ("2045-12-01T12:00:00Z", 3600),  // beyond the table: the POSIX rule
        ])
    func berlinOffsets(instant: String, offset: Int) throws {
        #expect(try systemZone("Europe/Berlin").offset(at: seconds(instant)) == offset)
    }

    @Test(
        "POSIX rules, including the southern hemisphere and fractional offsets",
        arguments: [
            ("AEST-10AEDT,M10.1.0,M4.1.0/3", "2045-01-15T00:00:00Z", 39_600),
            ("AEST-10AEDT,M10.1.0,M4.1.0/3", "2045-07-15T00:00:00Z", 36_000),
            ("EST5EDT,M3.2.0,M11.1.0", "2045-03-12T06:59:59Z", -18_000),
            ("EST5EDT,M3.2.0,M11.1.0", "2045-03-12T07:00:00Z", -14_400),
            ("<+0530>-5:30", "2045-01-01T00:00:00Z", 19_800),
            ("UTC0", "2045-01-01T00:00:00Z", 0),
        ])
    func posixRules(rule: String, instant: String, offset: Int) throws {
        let parsed = try #require(POSIXZoneRule(rule))
        #expect(parsed.offset(at: seconds(instant)) == offset)
    }

    @Test(
        "local time reads with the zone's abbreviation, from the table and from the POSIX footer",
        arguments: [
            ("America/New_York", "2026-03-17T12:05:00Z", "08:05 EDT Tue 2026-03-17, America/New_York"),
            ("America/New_York", "2026-01-13T13:00:00Z", "08:00 EST Tue 2026-01-13, America/New_York"),
            ("America/New_York", "2045-07-04T12:00:00Z", "08:00 EDT Tue 2045-07-04, America/New_York"),
            ("America/New_York", "2045-12-05T13:00:00Z", "08:00 EST Tue 2045-12-05, America/New_York"),
            ("Europe/Berlin", "2026-03-29T01:00:00Z", "03:00 CEST Sun 2026-03-29, Europe/Berlin"),
            ("Europe/Istanbul", "2026-03-17T05:00:00Z", "08:00 +03 Tue 2026-03-17, Europe/Istanbul"),
            ("Asia/Kolkata", "2026-03-17T02:30:00Z", "08:00 IST Tue 2026-03-17, Asia/Kolkata"),
            ("UTC", "2026-03-17T08:00:00Z", "08:00 UTC Tue 2026-03-17"),
        ])
    func localTimeText(zone: String, instant: String, text: String) throws {
        #expect(LocalTimeText.text(seconds(instant), in: try systemZone(zone)) == text)
    }

    @Test(
        "POSIX rules keep their abbreviations, quoted numeric ones without the brackets",
        arguments: [
            ("EST5EDT,M3.2.0,M11.1.0", "2045-03-12T06:59:59Z", "EST"),
            ("EST5EDT,M3.2.0,M11.1.0", "2045-03-12T07:00:00Z", "EDT"),
            ("<+0530>-5:30", "2045-01-01T00:00:00Z", "+0530"),
            ("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "2045-07-01T00:00:00Z", "-02"),
        ])
    func posixAbbreviations(rule: String, instant: String, abbreviation: String) throws {
        let parsed = try #require(POSIXZoneRule(rule))
        #expect(parsed.localTimeType(at: seconds(instant)).abbreviation == abbreviation)
    }

    @Test("a fixed-offset zone reads with its name or its numeric offset")
    func fixedOffsetAbbreviations() {
        #expect(LocalTimeText.text(seconds("2026-03-17T08:00:00Z"), in: .utc) == "08:00 UTC Tue 2026-03-17")
        let plus = ZoneRules(name: "Etc/GMT-3", fixedOffset: 10_800)
        #expect(LocalTimeText.text(seconds("2026-03-17T05:00:00Z"), in: plus) == "08:00 +03 Tue 2026-03-17, Etc/GMT-3")
    }

    @Test("malformed TZif data is refused")
    func badTZif() {
        #expect(throws: ZoneError.self) { try ZoneRules(name: "x", tzif: Array("not a zone".utf8)) }
        #expect(throws: ZoneError.self) { try ZoneRules(name: "x", tzif: Array("TZif2".utf8)) }
    }

    private func calendar(
        times: [(Int, Int)], weekdays: Set<Int>? = [1, 2, 3, 4, 5], holidays: [String] = []
    ) throws -> WorkingCalendar {
        let interval = WorkingCalendar.Interval(
            weekdays: weekdays, times: times.map { ($0.0 * 3600, $0.1 * 3600) }, daysOfMonth: nil, months: nil,
            years: nil)
        return WorkingCalendar(
            name: "c", zone: try systemZone("Europe/Berlin"), intervals: [interval],
            holidays: Set(holidays.map { seconds($0) / 86_400 }))
    }

    @Test(
        "business hours in local time, on both sides of the DST transitions",
        arguments: [
            ("2026-03-27T06:59:59Z", false), ("2026-03-27T07:00:00Z", true),  // Friday before: 08:00 CET
            ("2026-03-30T05:59:59Z", false), ("2026-03-30T06:00:00Z", true),  // Monday after: 08:00 CEST
            ("2026-03-30T15:59:59Z", true), ("2026-03-30T16:00:00Z", false),  // 18:00 CEST
            ("2026-10-23T06:00:00Z", true), ("2026-10-26T06:30:00Z", false),  // Monday after autumn: 07:30 CET
            ("2026-10-26T07:00:00Z", true),
            ("2026-03-28T10:00:00Z", false),  // a Saturday
            ("2026-12-24T10:00:00Z", false),  // a holiday, a Thursday
        ])
    func businessHours(instant: String, inside: Bool) throws {
        let hours = try calendar(times: [(8, 18)], holidays: ["2026-12-24"])
        #expect(hours.contains(seconds(instant)) == inside)
    }

    @Test("the skipped spring hour never occurs; the repeated autumn hour matches twice")
    func dstEdges() throws {
        let night = try calendar(times: [(2, 3)], weekdays: nil)
        // 2026-03-29: local 02:00–03:00 does not exist in Berlin.
        for minute in stride(from: 0, to: 180, by: 15) {
            #expect(!night.contains(seconds("2026-03-29T00:00:00Z") + Int64(minute * 60)))
        }
        // 2026-10-25: local 02:00–03:00 happens at 00:00Z (CEST) and again at 01:00Z (CET).
        #expect(night.contains(seconds("2026-10-25T00:30:00Z")))
        #expect(night.contains(seconds("2026-10-25T01:30:00Z")))
        #expect(!night.contains(seconds("2026-10-25T02:30:00Z")))
    }

    @Test("an overnight range belongs to the day it starts")
    func overnight() throws {
        // Weeknights 22:00–06:00, starting Monday to Friday.
        let shift = try calendar(times: [(22, 6)], holidays: ["2026-03-20"])
        #expect(shift.contains(seconds("2026-03-16T22:30:00Z")))  // Monday 23:30 local
        #expect(shift.contains(seconds("2026-03-17T04:00:00Z")))  // Tuesday 05:00, Monday's shift
        #expect(!shift.contains(seconds("2026-03-17T06:00:00Z")))  // Tuesday 07:00
        #expect(shift.contains(seconds("2026-03-21T04:00:00Z")) == false)  // Saturday 05:00 after a Friday holiday
        #expect(!shift.contains(seconds("2026-03-16T03:00:00Z")))  // Monday 04:00 belongs to Sunday
    }
}
