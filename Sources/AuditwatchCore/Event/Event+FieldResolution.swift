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
        let literal = resolveLiteral(path.table, from: root, segment: 0)
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
        var node = start
        var segment = first
        while segment < table.segmentCount {
            switch kind(node) {
            case .object:
                guard let (value, next) = longestKey(in: node, table, segment) else { return EventView.missing }
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
    func longestKey(in object: Int, _ table: FieldPath.CandidateTable, _ segment: Int) -> (value: Int, next: Int)? {
        let first = Int(table.ranges[segment])
        let last = Int(table.ranges[segment + 1])
        let longestNext = Int(table.entries[first].next)
        var bestValue = -1
        var bestNext = 0
        var bestLength = -1
        // Every candidate starts with the segment's own name (the shortest, last entry), so a
        // key that does not start with it is rejected after one length test and one compare.
        let head = table.entries[last - 1]
        let headBytes = table.keys + Int(head.offset)
        let headLength = Int(head.length)
        let longest = Int(table.entries[first].length)
        let end = end(object)
        var cursor = object + 1
        while cursor < end {
            let key = nodes[cursor]
            let keyLength = Int(key.length)
            if key.isEscaped
                || (keyLength >= headLength && keyLength <= longest && keyLength > bestLength
                    && memoryEqual(bytes + Int(key.start), headBytes, headLength))
            {
                if !key.isEscaped && keyLength == headLength {
                    // The segment's own name, just compared: no other candidate has its length.
                    bestValue = cursor + 1
                    bestNext = Int(head.next)
                    bestLength = headLength
                    if bestNext == longestNext { break }
                    cursor = self.end(cursor + 1)
                    continue
                }
                var candidate = first
                while candidate < last {
                    let entry = table.entries[candidate]
                    if bestLength >= Int(entry.length) { break }
                    if key.isEscaped || keyLength == Int(entry.length),
                        keyEquals(
                            cursor, UnsafeBufferPointer(start: table.keys + Int(entry.offset), count: Int(entry.length))
                        )
                    {
                        bestValue = cursor + 1
                        bestNext = Int(entry.next)
                        bestLength = Int(entry.length)
                        break
                    }
                    candidate += 1
                }
                if bestValue >= 0 && bestNext == longestNext { break }  // the longest possible: done
            }
            cursor = self.end(cursor + 1)
        }
        return bestValue >= 0 ? (bestValue, bestNext) : nil
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
