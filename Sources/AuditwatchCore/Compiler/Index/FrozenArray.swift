/// An array copied once into memory its owner frees, read on the hot path without reference
/// counting or bounds checks (the index tables are immutable after they are built).
struct FrozenArray<Element> {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ elements: [Element]) {
        count = elements.count
        base = .allocate(capacity: max(elements.count, 1))
        _ = UnsafeMutableBufferPointer(start: base, count: elements.count).initialize(from: elements)
    }

    @inline(__always) subscript(_ index: Int) -> Element { base[index] }

    func deallocate() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
