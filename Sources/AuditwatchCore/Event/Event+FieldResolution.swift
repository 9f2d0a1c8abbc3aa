extension EventView {
    /// Calls `visit` with the node index of every value `path` reaches, in document order,
    /// until `visit` returns true. Returns whether any value was reached.
    ///
    /// A path usually reaches one value; it reaches several only through arrays on the way.
    @discardableResult
    public func forEachValue(_ path: FieldPath, _ visit: (Int) -> Bool) -> Bool {
        if path.isType {
            _ = visit(typeNode)
            return true
        }
        var found = false
        var stopped = false
        walk(path.table, node: root, segment: 0, found: &found, stopped: &stopped, visit)
        if found { return true }
        switch path.derived {
        case nil:
            return false
        case .details:
            // No literal `details` key: read the detail object keyed by this event's type.
            guard let detail = typeDetailNode() else { return false }
            walk(path.table, node: detail, segment: 1, found: &found, stopped: &stopped, visit)
            return found
        case .alternatives(let paths):
            for alternative in paths where forEachValue(alternative, visit) { return true }
            return false
        }
    }

    /// The first value `path` reaches, if any.
    public func firstValue(_ path: FieldPath) -> Int? {
        let resolved = resolve(path)
        if resolved != EventView.branches { return resolved >= 0 ? resolved : nil }
        var result: Int?
        forEachValue(path) {
            result = $0; return true
        }
        return result
    }

    /// `resolve` found no value.
    static let missing = -1
    /// `resolve` met an array before the path's end: the path may reach several values, and
    /// only `forEachValue` can visit them.
    static let branches = -2

    /// The one node `path` reaches, `missing`, or `branches` — the fast path for the usual
    /// case: a loop over the segments with no closure and no recursion, the same precedence
    /// as `forEachValue` (literal keys first, then derived fields).
    func resolve(_ path: FieldPath) -> Int {
        if path.isType { return typeNode }
        return resolveDerived(path, literal: resolveLiteral(path.table, from: root, segment: 0))
    }

    /// `resolve(path)` for the path of slot `slot`, reading and filling `prefixNodes` (the
    /// nodes of the prefixes `prefixes` numbers): each walk, of the path and of its derived
    /// alternatives, starts at the deepest prefix an earlier walk of this event reached.
    @inline(never)
    func resolve(
        _ path: FieldPath, slot: Int, sharing prefixes: PathPrefixes.Table, _ prefixNodes: UnsafeMutablePointer<Int>
    ) -> Int {
        if path.isType { return typeNode }
        let literal = resolveLiteral(path.table, sharing: prefixes.chain(slot), prefixNodes)
        if literal != EventView.missing { return literal }
        guard case .alternatives(let paths) = path.derived else { return resolveDerived(path, literal: literal) }
        var chain = Int(prefixes.alternatives[slot])
        for alternative in paths {
            let found =
                alternative.isType
                ? typeNode
                : resolveDerived(
                    alternative, literal: resolveLiteral(alternative.table, sharing: prefixes.chain(chain), prefixNodes)
                )
            if found != EventView.missing { return found }
            chain += 1
        }
        return EventView.missing
    }

    /// `resolveLiteral` from the root for a path whose prefixes are numbered `chain`. A
    /// prefix's node is stored only when every object on the way had no key but the segment's
    /// own name that could match there (no key `name.…`, no escaped key), so it is the same
    /// whatever longer keys another path with that prefix could also match.
    private func resolveLiteral(
        _ table: FieldPath.CandidateTable, sharing chain: UnsafeBufferPointer<Int32>,
        _ prefixNodes: UnsafeMutablePointer<Int>
    ) -> Int {
        var node = root
        var segment = 0
        var depth = chain.count
        while depth > 0 {
            let known = prefixNodes[Int(chain[depth - 1])]
            if known != PathSlots.unresolved {
                if known == EventView.missing { return EventView.missing }
                node = known
                segment = depth
                break
            }
            depth -= 1
        }
        return resolveLiteral(table, from: node, segment: segment, sharing: chain, prefixNodes)
    }

    /// `literal` (what the path's literal keys reach), or when that is missing what the path's
    /// derived field gives.
    @inline(__always)
    private func resolveDerived(_ path: FieldPath, literal: Int) -> Int {
        if literal != EventView.missing { return literal }
        switch path.derived {
        case nil:
            return EventView.missing
        case .details:
            guard let detail = typeDetailNode() else { return EventView.missing }
            return resolveLiteral(path.table, from: detail, segment: 1)
        case .alternatives(let paths):
            for alternative in paths {
                let found = resolve(alternative)
                if found != EventView.missing { return found }
            }
            return EventView.missing
        }
    }

    func resolveLiteral(_ table: FieldPath.CandidateTable, from start: Int, segment first: Int) -> Int {
        resolveLiteral(table, from: start, segment: first, sharing: UnsafeBufferPointer(start: nil, count: 0), nil)
    }

    /// The walk from `start` at segment `first`; while the objects on the way are unambiguous,
    /// it stores the node of each prefix of `chain` it passes in `prefixNodes` (nothing when
    /// `chain` is empty).
    @inline(__always)
    private func resolveLiteral(
        _ table: FieldPath.CandidateTable, from start: Int, segment first: Int,
        sharing chain: UnsafeBufferPointer<Int32>, _ prefixNodes: UnsafeMutablePointer<Int>?
    ) -> Int {
        var node = start
        var segment = first
        var shared = true
        while segment < table.segmentCount {
            switch kind(node) {
            case .object:
                var unambiguous = false
                let found = longestKey(in: node, table, segment, unambiguous: &unambiguous)
                shared = shared && unambiguous && segment < chain.count
                if shared, let prefixNodes { prefixNodes[Int(chain[segment])] = found?.value ?? EventView.missing }
                guard let (value, next) = found else { return EventView.missing }
                node = value
                segment = next
            case .array:
                return EventView.branches
            default:
                return EventView.missing
            }
        }
        return node
    }

    /// The text of the first scalar value `path` reaches (strings decoded, numbers as written).
    public func text(_ path: FieldPath) -> String? {
        firstValue(path).flatMap { text($0) }
    }

    /// The detail object of this event's type, e.g. the value of `"login.failed"`.
    public func typeDetailNode() -> Int? {
        let type = rawBytes(typeNode)
        let decoded: [UInt8]? = nodes[typeNode].isEscaped ? JSONStringDecoder.decode(type) : nil
        let end = end(root)
        var cursor = root + 1
        while cursor < end {
            let matches =
                decoded.map { wanted in wanted.withUnsafeBufferPointer { keyEquals(cursor, $0) } }
                ?? keyEquals(cursor, type)
            if matches { return cursor + 1 }
            cursor = self.end(cursor + 1)
        }
        return nil
    }

    private func walk(
        _ table: FieldPath.CandidateTable, node: Int, segment: Int, found: inout Bool, stopped: inout Bool,
        _ visit: (Int) -> Bool
    ) {
        if segment == table.segmentCount {
            found = true
            if visit(node) { stopped = true }
            return
        }
        switch kind(node) {
        case .object:
            guard let (value, next) = longestKey(in: node, table, segment) else { return }
            walk(table, node: value, segment: next, found: &found, stopped: &stopped, visit)
        case .array:
            var cursor = node + 1
            let end = end(node)
            while cursor < end && !stopped {
                walk(table, node: cursor, segment: segment, found: &found, stopped: &stopped, visit)
                cursor = self.end(cursor)
            }
        default:
            return
        }
    }

    /// The member of `object` whose key is the longest of the segment's candidates (which are
    /// longest first).
    @inline(__always)
    func longestKey(in object: Int, _ table: FieldPath.CandidateTable, _ segment: Int) -> (value: Int, next: Int)? {
        var unambiguous = false
        return longestKey(in: object, table, segment, unambiguous: &unambiguous)
    }

    /// `longestKey`, also telling whether the answer holds for every path with this segment's
    /// name here: the whole object was read and no key but the name itself could match any
    /// such path (no plain key `name.…`, no escaped key).
    func longestKey(
        in object: Int, _ table: FieldPath.CandidateTable, _ segment: Int, unambiguous: inout Bool
    ) -> (value: Int, next: Int)? {
        let first = Int(table.ranges[segment])
        let last = Int(table.ranges[segment + 1])
        let longestNext = Int(table.entries[first].next)
        var bestValue = -1
        var bestNext = 0
        var bestLength = -1
        var clean = true
        // Every candidate is the segment's own name (the shortest, last entry) or starts with
        // it and a dot, so a key that does not is rejected after one length test and one compare.
        let head = table.entries[last - 1]
        let headBytes = table.keys + Int(head.offset)
        let headLength = Int(head.length)
        let longest = Int(table.entries[first].length)
        let end = end(object)
        var cursor = object + 1
        while cursor < end {
            let key = nodes[cursor]
            let keyLength = Int(key.length)
            if key.isEscaped {
                // It may decode to any candidate: compare each, decoded.
                clean = false
                if let entry = matchingCandidate(cursor, key, table, first, last, longerThan: bestLength) {
                    bestValue = cursor + 1
                    bestNext = Int(entry.next)
                    bestLength = Int(entry.length)
                    if bestNext == longestNext { break }  // the longest possible: done
                }
            } else if keyLength >= headLength && memoryEqual(bytes + Int(key.start), headBytes, headLength) {
                if keyLength == headLength {
                    // The segment's own name, just compared: no other candidate has its length.
                    if bestLength < 0 {
                        bestValue = cursor + 1
                        bestNext = Int(head.next)
                        bestLength = headLength
                        if bestNext == longestNext {
                            clean = false  // the rest of the object is not read
                            break
                        }
                    }
                } else if bytes[Int(key.start) + headLength] == UInt8(ascii: ".") {
                    clean = false
                    if keyLength <= longest && keyLength > bestLength,
                        let entry = matchingCandidate(cursor, key, table, first, last, longerThan: bestLength)
                    {
                        bestValue = cursor + 1
                        bestNext = Int(entry.next)
                        bestLength = Int(entry.length)
                        if bestNext == longestNext { break }  // the longest possible: done
                    }
                }
            }
            cursor = self.end(cursor + 1)
        }
        unambiguous = clean
        return bestValue >= 0 ? (bestValue, bestNext) : nil
    }

    /// The longest of the segment's candidates `first..<last` longer than `bestLength` that the
    /// key at `cursor` equals (decoded when escaped).
    @inline(__always)
    private func matchingCandidate(
        _ cursor: Int, _ key: JSONNode, _ table: FieldPath.CandidateTable, _ first: Int, _ last: Int,
        longerThan bestLength: Int
    ) -> FieldPath.CandidateTable.Entry? {
        var candidate = first
        while candidate < last {
            let entry = table.entries[candidate]
            if bestLength >= Int(entry.length) { return nil }
            if key.isEscaped || Int(key.length) == Int(entry.length),
                keyEquals(cursor, UnsafeBufferPointer(start: table.keys + Int(entry.offset), count: Int(entry.length)))
            {
                return entry
            }
            candidate += 1
        }
        return nil
    }
}

extension Event {
    /// Calls `visit` with the node index of every value `path` reaches (see `EventView`).
    @discardableResult
    public func forEachValue(_ path: FieldPath, _ visit: (Int) -> Bool) -> Bool {
        withView { $0.forEachValue(path, visit) }
    }

    /// The first value `path` reaches, if any.
    public func firstValue(_ path: FieldPath) -> Int? {
        withView { $0.firstValue(path) }
    }

    /// The text of the first scalar value `path` reaches (strings decoded, numbers as written).
    public func text(_ path: FieldPath) -> String? {
        withView { $0.text(path) }
    }

    /// The detail object of this event's type, e.g. the value of `"login.failed"`.
    public func typeDetailNode() -> Int? {
        withView { $0.typeDetailNode() }
    }
}
