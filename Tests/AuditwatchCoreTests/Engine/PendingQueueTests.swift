import Testing

@testable import AuditwatchCore

@Suite("The reorder buffer's queue keeps processing order through wrap-around and late inserts")
struct PendingQueueTests {
    private func match(_ time: Int64, _ id: String, position: Int = 0) -> PendingMatch {
        PendingMatch(
            correlation: "c", slot: 0, key: "k", values: ["k"], time: time, eventID: id, value: nil, eventTexts: nil,
            position: position)
    }

    @Test("interleaved inserts and removals come out in (time, id, position) order")
    func order() {
        var queue = PendingQueue()
        var out: [PendingMatch] = []
        var expected: [PendingMatch] = []
        var time: Int64 = 0
        // Many rounds so the ring wraps and grows; every fifth match arrives late by a few seconds.
        for round in 0..<200 {
            time += 3
            let late = round % 5 == 4
            let item = match(late ? time - 7 : time, "e\(round)")
            queue.insert(item)
            expected.append(item)
            while queue.count > 20 { out.append(queue.removeFirst()) }
        }
        while !queue.isEmpty { out.append(queue.removeFirst()) }
        #expect(out.count == expected.count)
        #expect(out == expected.sorted { $0.precedes($1) })
    }

    @Test("ties in time order by event id, then by position within the event")
    func ties() {
        var queue = PendingQueue([match(5, "b", position: 1), match(5, "b", position: 0), match(5, "a"), match(4, "z")])
        #expect(queue.elements.map { "\($0.eventID)\($0.position)" } == ["z0", "a0", "b0", "b1"])
        queue.insert(match(5, "a", position: 1))
        #expect(queue.elements.map { "\($0.eventID)\($0.position)" } == ["z0", "a0", "a1", "b0", "b1"])
        #expect(queue.firstTime == 4)
    }

    @Test("matches keep every string through chunk boundaries, late inserts across them and shared bytes")
    func strings() {
        var queue = PendingQueue()
        var expected: [PendingMatch] = []
        var out: [PendingMatch] = []
        // Three matches per event share its id and texts; every 50th event is 401 s late, which moves
        // it back past 600 matches, across a chunk boundary (1,024 matches) more often than not.
        for event in 0..<1500 {
            let time = Int64(event * 2) - (event % 50 == 49 ? 401 : 0)
            let padding = String(repeating: "x", count: event % 30)
            let id = event % 7 == 0 ? "audit_log-é\(event)" : "audit_log-\(padding)\(event)"
            let user = "user-\(event % 11)@corp.example"
            for position in 0..<3 {
                let values: [String?] = position == 2 ? ["Mixed\(event)", nil] : [user]
                let key = position == 2 ? "mixed\(event)\u{1F}" : user
                let texts: [String?]? = position == 1 ? [nil, "", "10.0.0.\(event % 5)", user] : nil
                let item = PendingMatch(
                    correlation: "c\(position)", slot: position, key: key, values: values, time: time, eventID: id,
                    value: position == 0 ? nil : (event % 3 == 0 ? "" : user), eventTexts: texts, position: position)
                queue.insert(item)
                expected.append(item)
            }
            while queue.count > 2000 { out.append(queue.removeFirst()) }
        }
        #expect(queue.elements == expected.sorted { $0.precedes($1) }.suffix(queue.count))
        while !queue.isEmpty { out.append(queue.removeFirst()) }
        #expect(out == expected.sorted { $0.precedes($1) })
    }

    @Test("event ids order as String orders them, combining marks included")
    func unicodeOrder() {
        // "e" + U+0301 is "é" (U+00E9), which sorts after "f" although its first byte does not.
        var queue = PendingQueue()
        queue.insert(match(1, "f"))
        queue.insert(match(1, "e\u{301}"))
        queue.insert(match(1, "e"))
        queue.insert(match(1, "\u{E9}", position: 1))
        #expect(queue.elements.map(\.eventID) == ["e", "f", "e\u{301}", "\u{E9}"])
    }
}
