import Synchronization

/// The buffers one match needs: two thread lists, the generation marks that de-duplicate
/// threads, and the stack used to follow jumps and splits. Each holds one slot per instruction,
/// which is all a list can ever use, so a match never grows them.
final class RegexScratch {
    let current: UnsafeMutablePointer<Int32>
    let next: UnsafeMutablePointer<Int32>
    let stack: UnsafeMutablePointer<Int32>
    let marks: UnsafeMutablePointer<UInt32>
    private let size: Int
    private var generation: UInt32 = 0

    init(size: Int) {
        self.size = size
        current = .allocate(capacity: size)
        next = .allocate(capacity: size)
        stack = .allocate(capacity: size)
        marks = .allocate(capacity: size)
        marks.initialize(repeating: 0, count: size)
    }

    deinit {
        current.deallocate()
        next.deallocate()
        stack.deallocate()
        marks.deallocate()
    }

    /// A generation number no mark holds yet; marks are cleared only when the counter wraps.
    func nextGeneration() -> UInt32 {
        if generation == .max {
            marks.update(repeating: 0, count: size)
            generation = 0
        }
        generation += 1
        return generation
    }
}

/// One reusable `RegexScratch` per regex, shared by copies of it. A match takes it with one
/// atomic exchange when it is free; a thread that finds it taken uses a fresh one, so threads
/// never wait and never share buffers.
final class RegexScratchPool: @unchecked Sendable {
    // @unchecked: `scratch` is only touched by the thread that flipped `busy` from false to true.
    private let scratch: RegexScratch
    private let busy = Atomic<Bool>(false)
    private let size: Int

    init(size: Int) {
        self.size = size
        scratch = RegexScratch(size: size)
    }

    @inline(__always)
    func with<Result>(_ body: (RegexScratch) -> Result) -> Result {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return body(RegexScratch(size: size))
        }
        defer { busy.store(false, ordering: .releasing) }
        return body(scratch)
    }
}
