/// One event's slot table: for each path the rule set reads (its slot number), the node that
/// path reaches, resolved at most once per event however many matchers and index probes read it.
///
/// Borrowed scratch memory, valid inside `RuleSet.match`; a slot holds `EventView.missing`,
/// `EventView.branches` (the path meets an array: matchers then visit every value), a node, or
/// `unresolved` until first read.
struct PathSlots {
    static let unresolved = Int.min
    let nodes: UnsafeMutablePointer<Int>

    /// The node `path` (the path of slot `slot`) reaches in `event`, as `EventView.resolve` answers.
    @inline(__always)
    func node(_ slot: Int, _ path: FieldPath, _ event: EventView) -> Int {
        let known = nodes[slot]
        if known != PathSlots.unresolved { return known }
        let resolved = event.resolve(path)
        nodes[slot] = resolved
        return resolved
    }

    /// Calls `body` with a table of `count` unresolved slots (on the stack when small).
    static func with<Result>(count: Int, _ body: (PathSlots) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count, 1)) { buffer in
            buffer.initialize(repeating: PathSlots.unresolved)
            return body(PathSlots(nodes: buffer.baseAddress!))
        }
    }
}
