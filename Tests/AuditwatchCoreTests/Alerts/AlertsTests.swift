import Testing

@testable import AuditwatchCore

@Suite("Alerts, ids and time")
struct AlertsTests {
    @Test("alert ids are deterministic and depend on rule, group and event")
    func ids() {
        let one = AlertID.make(ruleID: "r", group: [], anchorEventID: "e1")
        #expect(one == AlertID.make(ruleID: "r", group: [], anchorEventID: "e1"))
        #expect(one != AlertID.make(ruleID: "r2", group: [], anchorEventID: "e1"))
        #expect(one != AlertID.make(ruleID: "r", group: [], anchorEventID: "e2"))
        #expect(one != AlertID.make(ruleID: "r", group: [GroupValue(field: "u", value: "a")], anchorEventID: "e1"))
        #expect(one.hasPrefix("aw_") && one.count == 35)
    }

    @Test(
        "ISO-8601 round trips and zones",
        arguments: [
            ("1970-01-01T00:00:00Z", 0 as Int64), ("2024-07-31T21:30:46Z", 1722461446),
            ("2024-07-31T23:30:46+02:00", 1722461446), ("2024-07-31T16:30:46-05:00", 1722461446),
            ("2024-07-31T21:30:46.250Z", 1722461446), ("2024-02-29", 1709164800), ("1969-12-31T23:59:59Z", -1),
        ])
    func iso(text: String, seconds: Int64) {
        #expect(UTCTime.parse(text) == seconds)
    }

    @Test(
        "invalid times are refused",
        arguments: [
            "2024-02-30", "2024-13-01", "2024-07-31T21:30:46", "yesterday", "2024-07-31T25:00:00Z",
            "2024-07-31T21:30:46+2",
        ])
    func invalidTimes(text: String) {
        #expect(UTCTime.parse(text) == nil)
    }

    @Test("formatting", arguments: [0 as Int64, 1722461446, -1, 951782400, 4102444800])
    func format(seconds: Int64) {
        #expect(UTCTime.parse(UTCTime.iso8601(seconds)) == seconds)
    }

    @Test("JSON alert lines carry the contract fields")
    func jsonLine() {
        let alert = Alert(
            id: "aw_1", ruleID: "r", ruleTitle: "T \"q\"", level: .high, tags: ["attack.t1"],
            group: [GroupValue(field: "actor.email", value: "a@x"), GroupValue(field: "ip", value: nil)],
            count: 2, firstAt: 10, lastAt: 20, eventIDs: ["e1", "e2"], summary: "s\n")
        #expect(
            AlertFormatter.jsonLine(alert)
                == #"{"id":"aw_1","rule":{"id":"r","title":"T \"q\"","level":"high","tags":["attack.t1"]},"group":{"actor.email":"a@x","ip":null},"count":2,"first_at":10,"last_at":20,"events":["e1","e2"],"summary":"s\n","suppressed":0}"#
        )
    }

    @Test("text lines neutralise terminal control characters from event text")
    func textLine() {
        let alert = Alert(
            id: "aw_1", ruleID: "r", ruleTitle: "T", level: .low, tags: [], group: [], count: 1, firstAt: 0, lastAt: 0,
            eventIDs: ["e"], summary: "evil\u{1B}[31mred\nnext")
        let line = AlertFormatter.textLine(alert)
        #expect(!line.contains("\u{1B}") && !line.contains("\n"))
        #expect(line.hasPrefix("1970-01-01T00:00:00Z LOW"))
    }

    @Test("did-you-mean finds near misses only")
    func suggestions() {
        #expect(Suggestions.closest(to: "conditon", in: ["condition", "detection"]) == "condition")
        #expect(Suggestions.closest(to: "zzz", in: ["condition", "detection"]) == nil)
    }
}

@Suite("Alert text: the fast paths agree with the careful ones")
struct AlertTextTests {
    @Test(
        "printable passes clean text through and escapes C0, DEL and C1",
        arguments: [
            ("plain ascii", "plain ascii"), ("ünïcödé 😀 ok", "ünïcödé 😀 ok"),
            ("bell\u{7}", "bell\\u{7}"), ("del\u{7F}", "del\\u{7f}"), ("csi\u{9B}31m", "csi\\u{9b}31m"),
            ("nbsp\u{A0}stays", "nbsp\u{A0}stays"),
        ])
    func printable(input: String, expected: String) {
        #expect(AlertFormatter.printable(input) == expected)
    }

    @Test(
        "times format digit by digit, years outside 0...9999 too",
        arguments: [
            (0 as Int64, "1970-01-01T00:00:00Z"), (1722461446, "2024-07-31T21:30:46Z"), (-1, "1969-12-31T23:59:59Z"),
            (253402300799, "9999-12-31T23:59:59Z"), (253402300800, "10000-01-01T00:00:00Z"),
        ])
    func times(seconds: Int64, expected: String) {
        #expect(UTCTime.iso8601(seconds) == expected)
    }
}

@Suite("JSON strings written as bytes")
struct JSONBytesWriterTests {
    @Test(
        "the byte writer escapes exactly as the string writer",
        arguments: [
            "plain", "", "quote \" and backslash \\", "lines\nand\r\ttabs", "bell\u{7} nul\u{0} esc\u{1B}", "del\u{7F}",
            "ünïcödé 😀", "line sep\u{2028}para sep\u{2029}end", "\u{2028}", "e2 alone: \u{2020}", "mixed \"ü\"\n\u{1F}",
        ])
    func sameEscaping(text: String) throws {
        var bytes: [UInt8] = []
        JSONWriter.appendString(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == JSONWriter.quoted(text))
        #expect(try JSONDocument(parsing: bytes).text(0) == text)
    }
}
