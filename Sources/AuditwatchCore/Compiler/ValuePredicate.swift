/// A compiled test of one scalar event value.
///
/// The regex and the calendar are shared, not inline: with them inline the enum was 216 bytes,
/// copied to the stack (twice) at each test; now it is a few words.
enum ValuePredicate: Sendable {
    /// Strings by pattern; numbers and booleans by their JSON text.
    case text(TextPattern)
    /// A rule number: numeric equality with JSON numbers, text equality with strings.
    case number(Double, TextPattern)
    /// A rule boolean: equal to JSON `true`/`false`, or to the text of a string.
    case boolean(Bool, TextPattern)
    /// `lt`, `lte`, `gt`, `gte`: numbers and numeric strings (`NumericText`); anything else never matches.
    case compare(ComparisonOperator, Double)
    /// `cidr`: the value is an IP address inside the network.
    case cidr(IPNetwork)
    /// `re`: an unanchored search with a linear-time matcher.
    case regex(Shared<LinearRegex>)
    /// `minute` … `year`: a part of a time (Unix seconds or ISO text), in UTC, compared as a number.
    case datePart(DatePart, ComparisonOperator?, Double)
    /// `calendar` (auditwatch extension): the time falls inside a named calendar.
    case calendar(Shared<WorkingCalendar>)

    func matches(_ document: EventView, _ node: Int) -> Bool {
        let kind = document.kind(node)
        switch self {
        case .text(let pattern):
            guard kind != .null else { return false }
            return document.withText(node) { pattern.matches($0) }
        case .number(let value, let pattern):
            if kind == .number { return document.double(node) == value }
            guard kind == .string else { return false }
            return document.withText(node) { pattern.matches($0) }
        case .boolean(let value, let pattern):
            if kind == .true { return value }
            if kind == .false { return !value }
            guard kind == .string else { return false }
            return document.withText(node) { pattern.matches($0) }
        case .compare(let comparison, let bound):
            let number: Double?
            switch kind {
            case .number: number = document.double(node)
            case .string: number = document.withText(node) { NumericText.value($0) }
            default: number = nil
            }
            guard let number else { return false }
            return comparison.holds(number, bound)
        case .cidr(let network):
            guard kind == .string else { return false }
            return document.withText(node) { text in IPAddress.parse(text).map(network.contains) ?? false }
        case .regex(let regex):
            guard kind != .null else { return false }
            return document.withText(node) { regex.value.matches($0) }
        case .datePart(let part, let comparison, let expected):
            guard let seconds = DatePart.seconds(document, node) else { return false }
            let value = Double(part.value(of: seconds))
            return comparison?.holds(value, expected) ?? (value == expected)
        case .calendar(let calendar):
            guard let seconds = DatePart.seconds(document, node) else { return false }
            return calendar.value.contains(seconds)
        }
    }
}

/// The numeric comparison modifiers.
enum ComparisonOperator: String, Sendable, CaseIterable {
    case lt, lte, gt, gte

    func holds(_ value: Double, _ bound: Double) -> Bool {
        switch self {
        case .lt: return value < bound
        case .lte: return value <= bound
        case .gt: return value > bound
        case .gte: return value >= bound
        }
    }
}
