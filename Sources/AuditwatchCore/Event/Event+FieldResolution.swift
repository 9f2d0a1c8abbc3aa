extension Event {
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
        walk(path, node: root, segment: 0, found: &found, stopped: &stopped, visit)
        if found { return true }
        switch path.derived {
        case nil:
            return false
        case .details:
            // No literal `details` key: read the detail object keyed by this event's type.
            guard let detail = typeDetailNode() else { return false }
            walk(path, node: detail, segment: 1, found: &found, stopped: &stopped, visit)
            return found
        case .alternatives(let paths):
            for alternative in paths where forEachValue(alternative, visit) { return true }
            return false
        }
    }

    /// The first value `path` reaches, if any.
    public func firstValue(_ path: FieldPath) -> Int? {
        var result: Int?
        forEachValue(path) { result = $0; return true }
        return result
    }

    /// The text of the first scalar value `path` reaches (strings decoded, numbers as written).
    public func text(_ path: FieldPath) -> String? {
        firstValue(path).flatMap { document.text($0) }
    }

    /// The detail object of this event's type, e.g. the value of `"login.failed"`.
    public func typeDetailNode() -> Int? {
        let end = Int(document.nodes[root].end)
        return withTypeBytes { type -> Int? in
            var cursor = root + 1
            while cursor < end {
                if document.keyEquals(cursor, type) { return cursor + 1 }
                cursor = Int(document.nodes[cursor + 1].end)
            }
            return nil
        }
    }

    private func walk(_ path: FieldPath, node: Int, segment: Int, found: inout Bool, stopped: inout Bool, _ visit: (Int) -> Bool) {
        if segment == path.segments.count {
            found = true
            if visit(node) { stopped = true }
            return
        }
        let current = document.nodes[node]
        switch current.kind {
        case .object:
            guard let (value, next) = longestKey(in: node, path.candidates[segment]) else { return }
            walk(path, node: value, segment: next, found: &found, stopped: &stopped, visit)
        case .array:
            var cursor = node + 1
            let end = Int(current.end)
            while cursor < end && !stopped {
                walk(path, node: cursor, segment: segment, found: &found, stopped: &stopped, visit)
                cursor = Int(document.nodes[cursor].end)
            }
        default:
            return
        }
    }

    /// The member of `object` whose key is the longest of `candidates` (which are longest first).
    private func longestKey(in object: Int, _ candidates: [FieldPath.Candidate]) -> (value: Int, next: Int)? {
        var best: (value: Int, next: Int, length: Int)?
        let end = Int(document.nodes[object].end)
        var cursor = object + 1
        while cursor < end {
            let key = document.nodes[cursor]
            for candidate in candidates {
                if let best, best.length >= candidate.key.count { break }
                if !key.isEscaped && Int(key.length) != candidate.key.count { continue }
                let matches = candidate.key.withUnsafeBufferPointer { document.keyEquals(cursor, $0) }
                if matches {
                    best = (cursor + 1, candidate.next, candidate.key.count)
                    break
                }
            }
            if let best, best.next == candidates[0].next { break }  // the longest possible: done
            cursor = Int(document.nodes[cursor + 1].end)
        }
        return best.map { ($0.value, $0.next) }
    }
}
