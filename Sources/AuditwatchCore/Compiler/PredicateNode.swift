/// A `ValuePredicate` held by reference, as a field matcher stores it.
///
/// Iterating a `[ValuePredicate]` copied each element through its value witness (retaining every
/// reference of its payload) and destroyed it again, about ten times an event on the shipped
/// pack. Here a loop passes one reference, and `matches` reads the predicate in place: a `let` of
/// a class is borrowed, not copied.
final class PredicateNode: Sendable {
    let predicate: ValuePredicate

    /// Holds `predicate`.
    init(_ predicate: ValuePredicate) {
        self.predicate = predicate
    }

    /// Whether the scalar at `node` satisfies the predicate.
    func matches(_ document: EventView, _ node: Int) -> Bool {
        predicate.matches(document, node)
    }
}
