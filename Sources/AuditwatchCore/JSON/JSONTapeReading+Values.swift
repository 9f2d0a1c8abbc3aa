extension JSONTapeReading {
    /// Calls `body` on every scalar value inside `node` (itself included), at any depth, in
    /// document order, until it returns true; object keys are not values. For keywords.
    /// Recursion is bounded by the parser's depth limit (256).
    func anyValue(in node: Int, _ body: (Int) -> Bool) -> Bool {
        switch kind(node) {
        case .object:
            var cursor = node + 1
            let end = end(node)
            while cursor < end {
                // A member is a key (one scalar node) and its value's subtree.
                if anyValue(in: cursor + 1, body) { return true }
                cursor = self.end(cursor + 1)
            }
            return false
        case .array:
            var cursor = node + 1
            let end = end(node)
            while cursor < end {
                if anyValue(in: cursor, body) { return true }
                cursor = self.end(cursor)
            }
            return false
        default:
            return body(node)
        }
    }
}
