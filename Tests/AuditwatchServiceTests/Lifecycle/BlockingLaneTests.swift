import AuditwatchService
import Foundation
import Testing

/// The name of the calling thread, as the kernel has it.
private func threadName() -> String {
    let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return name.trimmingCharacters(in: .newlines)
}

@Suite("Blocking lane")
struct BlockingLaneTests {
    @Test("jobs run on the lane's own thread, in order, and return values and errors to the caller")
    func ownThread() async throws {
        let lane = BlockingLane(name: "aw test lane")
        defer { lane.close() }
        let name = try await lane.run { threadName() }
        #expect(name == "aw test lane")
        #expect(threadName() != "aw test lane")
        struct Failure: Error {}
        await #expect(throws: Failure.self) { try await lane.run { throw Failure() } }
        var order: [Int] = []
        for index in 0..<5 { order.append(try await lane.run { index }) }
        #expect(order == [0, 1, 2, 3, 4])
    }
}
