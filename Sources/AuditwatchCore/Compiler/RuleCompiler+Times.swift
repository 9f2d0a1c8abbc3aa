extension RuleCompiler.FieldContext {
    /// `calendar` (auditwatch extension): the time falls inside one of the named calendars.
    mutating func calendarPredicates() -> [ValuePredicate]? {
        guard only([.calendar], "calendar") else { return nil }
        var predicates: [ValuePredicate] = []
        for value in values {
            guard case .string(let name) = value.value, let calendar = calendars[name] else {
                let hint = Suggestions.didYouMean(value.value.text, in: calendars.keys.sorted())
                let advice =
                    calendars.isEmpty ? "; define one in a 'calendar:' document (e.g. rules/calendars.yml)" : ""
                return fail("unknown calendar '\(value.value)'\(hint)\(advice)", at: value.location)
            }
            predicates.append(.calendar(Shared(calendar)))
        }
        return predicates
    }

    /// `minute` … `year`, alone or with one comparison: a part of a time compared as a number.
    mutating func datePartPredicates(_ parts: [DatePart]) -> [ValuePredicate]? {
        guard parts.count == 1 else { return fail("only one date part may be taken in '\(key)'") }
        let part = parts[0]
        let allowed = Set(test.modifiers.filter { $0.comparison != nil || $0.datePart == part })
        guard only(allowed, part.rawValue) else { return nil }
        var predicates: [ValuePredicate] = []
        for value in values {
            guard let number = value.value.number else {
                return fail("'\(part.rawValue)' compares numbers, found '\(value.value)'", at: value.location)
            }
            predicates.append(.datePart(part, comparisons.first, number))
        }
        return predicates
    }
}
