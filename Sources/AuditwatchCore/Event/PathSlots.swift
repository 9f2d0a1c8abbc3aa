/// One event's slot table: for each path the rule set reads (its slot number), the node that
/// path reaches, resolved at most once per event however many matchers and index probes read it.
///
/// Borrowed scratch memory, valid inside `RuleSet.match`; a slot holds `EventView.missing`,
/// `EventView.branches` (the path meets an array: matchers then visit every value), a node, or
/// `unresolved` until first read. Beside the slots, one entry per shared prefix
/// (`PathPrefixes`) holds the object a prefix reached, so the paths below `actor.session` walk
/// the root and `actor` once an event, not once each.
struct PathSlots {
    static let unresolved = Int.min
    let nodes: UnsafeMutablePointer<Int>
    /// Per prefix number: the node its segments reach, `EventView.missing`, or `unresolved`.
    let prefixNodes: UnsafeMutablePointer<Int>
    let prefixes: PathPrefixes.Table

    /// The node `path` (the path of slot `slot`) reaches in `event`, as `EventView.resolve` answers.
    @inline(__always)
    func node(_ slot: Int, _ path: FieldPath, _ event: EventView) -> Int {
        let known = nodes[slot]
        if known != PathSlots.unresolved { return known }
        let resolved = event.resolve(path, slot: slot, sharing: prefixes, prefixNodes)
        nodes[slot] = resolved
        return resolved
    }

    /// Calls `body` with a table of `count` unresolved slots and `prefixCount` prefix entries
    /// (numbered by `prefixes`), all unresolved, on the stack when small.
    @inline(__always)
    static func with<Result>(
        count: Int, prefixCount: Int, prefixes: PathPrefixes.Table, _ body: (PathSlots) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count + prefixCount, 1)) { buffer in
            buffer.initialize(repeating: PathSlots.unresolved)
            let base = buffer.baseAddress!
            return body(PathSlots(nodes: base, prefixNodes: base + count, prefixes: prefixes))
        }
    }

    /// `with(count:prefixCount:prefixes:_:)` for `prefixes`' numbering.
    static func with<Result>(count: Int, prefixes: PathPrefixes, _ body: (PathSlots) -> Result) -> Result {
        with(count: count, prefixCount: prefixes.count, prefixes: prefixes.table, body)
    }
}
