/// A compiled rule's selections and condition as flat memory, for the rule set's hot path.
///
/// Walking `[[[FieldMatcher]]]` and the condition's arrays retained and released each inner
/// array it entered: about 46 pairs an event on 1,000 generated rules. Here a selection is two
/// ranges of integers and a run of unretained matchers; the condition is a prefix-order list of
/// nodes. The `CompiledRule` that builds a program owns it: its `selections` keep the matchers
/// alive, and its `deinit` frees the memory.
///
/// `@unchecked Sendable`: the memory is written once, in `init`, and only read after.
struct RuleProgram: @unchecked Sendable {
    /// A condition node. `and`/`or` nodes are followed by their `operand` children, each
    /// subtree ending where its `next` says; `not` by its one child.
    struct Node {
        enum Kind: UInt8 { case selection, not, and, or }
        let kind: Kind
        /// The selection's index (`selection`), or the number of children (`and`, `or`).
        let operand: Int32
        /// The node after this node's subtree.
        let next: Int32
    }

    private let nodes: UnsafeMutablePointer<Node>
    /// Selection `s`'s alternatives are `selectionStarts[s]..<selectionStarts[s + 1]`.
    private let selectionStarts: UnsafeMutablePointer<Int32>
    /// Alternative `a`'s matchers are `matchers[alternativeStarts[a]..<alternativeStarts[a + 1]]`.
    private let alternativeStarts: UnsafeMutablePointer<Int32>
    private let matchers: UnsafeMutablePointer<Unmanaged<FieldMatcher>>

    /// Lays out `selections` and `condition`; the caller keeps `selections` alive while the
    /// program is used and calls `deallocate()` once.
    init(selections: [[[FieldMatcher]]], condition: ConditionExpression) {
        var starts: [Int32] = [0]
        var alternativeEnds: [Int32] = [0]
        var flat: [Unmanaged<FieldMatcher>] = []
        for alternatives in selections {
            for entries in alternatives {
                flat += entries.map { Unmanaged.passUnretained($0) }
                alternativeEnds.append(Int32(flat.count))
            }
            starts.append(Int32(alternativeEnds.count - 1))
        }
        var tree: [Node] = []
        Self.lower(condition, into: &tree)
        nodes = Self.copy(tree)
        selectionStarts = Self.copy(starts)
        alternativeStarts = Self.copy(alternativeEnds)
        matchers = Self.copy(flat)
    }

    /// Frees the program's memory (`CompiledRule.deinit`).
    func deallocate() {
        nodes.deallocate()
        selectionStarts.deallocate()
        alternativeStarts.deallocate()
        matchers.deallocate()
    }

    /// Whether `event` satisfies the condition, paths read through its slot table. The same
    /// short-circuit order as `CompiledRule`'s tree walk: children left to right, alternatives
    /// and entries in the order written.
    func matches(_ event: EventView, slots: PathSlots) -> Bool {
        evaluate(0, event, slots)
    }

    private func evaluate(_ index: Int, _ event: EventView, _ slots: PathSlots) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .selection:
            return selection(Int(node.operand), event, slots)
        case .not:
            return !evaluate(index + 1, event, slots)
        case .and, .or:
            // `and` stops at the first false child, `or` at the first true one.
            let stopAt = node.kind == .or
            var child = index + 1
            for _ in 0..<node.operand {
                if evaluate(child, event, slots) == stopAt { return stopAt }
                child = Int(nodes[child].next)
            }
            return !stopAt
        }
    }

    @inline(__always)
    private func selection(_ index: Int, _ event: EventView, _ slots: PathSlots) -> Bool {
        var alternative = Int(selectionStarts[index])
        let lastAlternative = Int(selectionStarts[index + 1])
        while alternative < lastAlternative {
            var entry = Int(alternativeStarts[alternative])
            let end = Int(alternativeStarts[alternative + 1])
            while entry < end, matchers[entry]._withUnsafeGuaranteedRef({ $0.matches(event, slots: slots) }) {
                entry += 1
            }
            if entry == end { return true }
            alternative += 1
        }
        return false
    }

    /// Appends `expression` in prefix order; `anyOf`/`allOf` become `or`/`and` of selections.
    private static func lower(_ expression: ConditionExpression, into nodes: inout [Node]) {
        func append(_ kind: Node.Kind, _ operand: Int, children: () -> Void) {
            let at = nodes.count
            nodes.append(Node(kind: kind, operand: Int32(operand), next: 0))
            children()
            nodes[at] = Node(kind: kind, operand: Int32(operand), next: Int32(nodes.count))
        }
        switch expression {
        case .selection(let index):
            append(.selection, index) {}
        case .not(let inner):
            append(.not, 1) { lower(inner, into: &nodes) }
        case .and(let parts), .or(let parts):
            let kind: Node.Kind = if case .and = expression { .and } else { .or }
            append(kind, parts.count) { for part in parts { lower(part, into: &nodes) } }
        case .anyOf(let indices), .allOf(let indices):
            let kind: Node.Kind = if case .allOf = expression { .and } else { .or }
            append(kind, indices.count) { for index in indices { lower(.selection(index), into: &nodes) } }
        }
    }

    private static func copy<Element>(_ values: [Element]) -> UnsafeMutablePointer<Element> {
        let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(values.count, 1))
        pointer.initialize(from: values, count: values.count)
        return pointer
    }
}
