import Testing

@testable import AuditwatchCore

/// A field test reads its predicate in place only while the predicate stays small: a large
/// payload stored inline (with `LinearRegex` and `WorkingCalendar` inline the enum was 216 bytes)
/// makes every test copy the whole enum to the stack first. `docs/performance.md` (issue 17,
/// borrowing predicates) has the figures.
@Suite("Predicate layout")
struct PredicateLayoutTests {
    @Test("a predicate is a few words: its regex and calendar are behind a reference")
    func predicateIsSmall() {
        #expect(MemoryLayout<ValuePredicate>.size <= 40)
        #expect(MemoryLayout<Shared<LinearRegex>>.size == MemoryLayout<AnyObject>.size)
    }

    @Test("a field matcher is one reference, so a selection's loops retain instead of copying")
    func matcherIsOneReference() {
        #expect(MemoryLayout<FieldMatcher>.size == MemoryLayout<AnyObject>.size)
        #expect(MemoryLayout<PredicateNode>.size == MemoryLayout<AnyObject>.size)
    }
}
