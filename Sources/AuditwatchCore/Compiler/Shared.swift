/// An immutable value behind one reference.
///
/// A predicate keeps its large payloads (a regex, a calendar) this way so the enum stays a few
/// words: a test reads `value` in place instead of copying a couple of hundred bytes first.
final class Shared<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
