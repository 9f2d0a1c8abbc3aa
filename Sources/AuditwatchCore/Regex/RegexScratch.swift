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

/// Reusable `RegexScratch`es of one regex, shared by copies of it: up to four threads (the
/// engine's and `backtest --threads`') each take one with an atomic bit flip and keep it for the
/// process; a fifth at the same instant uses a fresh one, so threads never wait and never share.
final class RegexScratchPool: @unchecked Sendable {
    // @unchecked: slot n is read and written only by the thread that set bit n of `busy`.
    private static let slotCount = 4
    private let slots: UnsafeMutablePointer<RegexScratch?>
    private let busy = Atomic<UInt8>(0)
    private let size: Int

    init(size: Int) {
        self.size = size
        slots = .allocate(capacity: RegexScratchPool.slotCount)
        slots.initialize(repeating: nil, count: RegexScratchPool.slotCount)
    }

    deinit {
        slots.deinitialize(count: RegexScratchPool.slotCount)
        slots.deallocate()
    }

    @inline(__always)
    func with<R>(_ body: (RegexScratch) -> R) -> R {
        var state = busy.load(ordering: .relaxed)
        var bit: UInt8 = 0
        while true {
            let free = ~state & 0x0F
            guard free != 0 else { return body(RegexScratch(size: size)) }
            bit = free & (0 &- free)
            let (exchanged, original) = busy.compareExchange(
                expected: state, desired: state | bit,
                ordering: .acquiring)
            if exchanged { break }
            state = original
        }
        defer { busy.bitwiseAnd(~bit, ordering: .releasing) }
        let slot = bit.trailingZeroBitCount
        if let scratch = slots[slot] { return body(scratch) }
        let scratch = RegexScratch(size: size)
        slots[slot] = scratch
        return body(scratch)
    }
}
