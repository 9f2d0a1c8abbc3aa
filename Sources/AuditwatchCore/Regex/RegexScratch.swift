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

/// One reusable `RegexScratch` per regex, shared by copies of it. Matching takes it under a lock
/// when it is free; a thread that finds it taken uses a fresh one, so threads never wait.
final class RegexScratchPool: Sendable {
    private let shared: Mutex<RegexScratch?>
    private let size: Int

    init(size: Int) {
        self.size = size
        shared = Mutex(RegexScratch(size: size))
    }

    func with<Result>(_ body: (RegexScratch) -> Result) -> Result {
        let taken = shared.withLock { slot in
            let scratch = slot
            slot = nil
            return scratch.map(Unchecked.init)
        }
        let scratch = taken?.value ?? RegexScratch(size: size)
        defer {
            if taken != nil {
                let returned = Unchecked(value: scratch)
                shared.withLock { $0 = returned.value }
            }
        }
        return body(scratch)
    }

    /// Moves the scratch across the lock's `sending` boundary; only one thread holds it at a time.
    private struct Unchecked: @unchecked Sendable { let value: RegexScratch }
}
