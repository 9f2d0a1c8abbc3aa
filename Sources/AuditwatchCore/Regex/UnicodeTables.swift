/// The Unicode definitions behind `\d \w \s`, `\b` and case-insensitive matching. They follow
/// Python's `re` on `str` patterns (pySigma, the reference, is Python), built once from the
/// Unicode data Swift ships:
///
/// - `\d`: general category Nd (decimal digits of every script);
/// - `\w`: letters (L*), anything with a numeric value (N*, and CJK numerals), and `_`;
/// - `\s`: the White_Space property plus U+001C…U+001F (Python's `str.isspace`);
/// - case-insensitive: two scalars are equal when their simple uppercase-then-lowercase images are
///   equal (so `k`, `K` and KELVIN SIGN, or `s`, `S` and LONG S, are one class; `ß` matches `ẞ` but
///   never `ss`: mappings to several scalars are ignored, as in Python and RE2).
enum UnicodeTables {
    /// Scalars above this carry no letter, digit or case data worth a scan (CJK Extension H ends at
    /// U+323AF); higher planes are private use and tags.
    private static let scanLimit: UInt32 = 0x323AF

    static let digit: ScalarSet = build { $0.properties.generalCategory == .decimalNumber }

    static let word: ScalarSet = build { scalar in
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return scalar.properties.numericType != nil
        }
    }

    static let space: ScalarSet = build { scalar in
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// The case-insensitive equivalence classes with more than one member, read from the table
    /// generated from `computedCaseClasses()` (a test keeps the two equal).
    static let caseClasses: [[UInt32]] = parseCaseClasses(CaseClassData.text)

    /// Each line of `text` a class: its members in hexadecimal, separated by spaces.
    static func parseCaseClasses(_ text: String) -> [[UInt32]] {
        var classes: [[UInt32]] = []
        var members: [UInt32] = []
        var value: UInt32 = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
                digits += 1
            default:
                if digits > 0 { members.append(value) }
                value = 0
                digits = 0
                if byte == UInt8(ascii: "\n"), !members.isEmpty {
                    classes.append(members)
                    members = []
                }
            }
        }
        if digits > 0 { members.append(value) }
        if !members.isEmpty { classes.append(members) }
        return classes
    }

    /// The classes from the Unicode data Swift ships: a scan of every scalar up to `scanLimit`.
    static func computedCaseClasses() -> [[UInt32]] {
        var classes: [UInt32: [UInt32]] = [:]
        for value in 0...scanLimit {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            let key = canonical(scalar)
            classes[key, default: [key]].append(value)
        }
        return classes.values.map { Array(Set($0)).sorted() }.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    private static let classIndex: [UInt32: Int] = {
        var index: [UInt32: Int] = [:]
        for (position, members) in caseClasses.enumerated() {
            for member in members { index[member] = position }
        }
        return index
    }()

    /// The scalars equal to `value` when case is ignored (itself included), if there are others.
    static func caseClass(of value: UInt32) -> [UInt32]? {
        if value < 128 {
            // ASCII letters: only k and s have non-ASCII relatives (KELVIN SIGN, LONG S).
            let lower = value | 0x20
            guard lower >= 97 && lower <= 122 else { return nil }
            if lower != 0x6B && lower != 0x73 && lower != 0x69 { return [lower & ~0x20, lower] }
        }
        return classIndex[value].map { caseClasses[$0] }
    }

    /// The class representative: simple lowercase of the simple uppercase.
    private static func canonical(_ scalar: Unicode.Scalar) -> UInt32 {
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        // U+0130 is the one scalar whose lowercase is several scalars but whose simple
        // lowercase (UnicodeData) is `i`; Python folds it so.
        if upper.value == 0x130 { return 0x69 }
        return (single(upper.properties.lowercaseMapping) ?? upper).value
    }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var iterator = mapping.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }

    private static func build(_ member: (Unicode.Scalar) -> Bool) -> ScalarSet {
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32?
        for value in 0...scanLimit + 1 {
            let inside = value <= scanLimit && Unicode.Scalar(value).map(member) == true
            if inside, start == nil { start = value }
            if !inside, let first = start {
                ranges.append(first...(value - 1))
                start = nil
            }
        }
        return ScalarSet(ranges)
    }
}
