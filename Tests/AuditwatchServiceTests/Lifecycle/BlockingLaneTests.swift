import AuditwatchService
import Foundation
import Synchronization
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
        #expect(try await lane.run { threadName() } == "aw test lane")
        #expect(threadName() != "aw test lane")
        struct Failure: Error {}
        await #expect(throws: Failure.self) { try await lane.run { throw Failure() } }
        var order: [Int] = []
        for index in 0..<5 { order.append(try await lane.run { index }) }
        #expect(order == [0, 1, 2, 3, 4])
    }

    @Test("jobs blocked in a syscall hold no thread of the cooperative pool: tasks still run meanwhile")
    func poolStaysFree() async throws {
        // As many blocked lanes as the pool has threads: were the jobs on the pool, no task
        // could run until they are released.
        let width = ProcessInfo.processInfo.activeProcessorCount
        let lanes = (0..<width).map { BlockingLane(name: "aw block \($0)") }
        defer { for lane in lanes { lane.close() } }
        let release = DispatchSemaphore(value: 0)
        let released = Mutex(false), done = DispatchSemaphore(value: 0)
        let blocked = lanes.map { lane in Task { try await lane.run { release.wait() } } }
        // A guard from a thread of its own, so a broken lane fails the test instead of hanging it.
        Thread.detachNewThread {
            guard done.wait(timeout: .now() + 30) == .timedOut else { return }
            released.withLock { $0 = true }
            for _ in 0..<width { release.signal() }
        }
        let finished = await withTaskGroup(of: Int.self) { group in
            for index in 0..<(width * 4) {
                group.addTask {
                    await Task.yield(); return index
                }
            }
            return await group.reduce(0) { count, _ in count + 1 }
        }
        #expect(finished == width * 4)
        #expect(released.withLock { !$0 }, "the tasks ran only once the lanes were released")
        done.signal()
        for _ in 0..<width { release.signal() }
        for task in blocked { try await task.value }
    }
}
