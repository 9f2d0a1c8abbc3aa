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
}
