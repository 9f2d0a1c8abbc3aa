public import AuditwatchConsole

// The escaping is the console's (`HTMLText.escape`): one definition of what makes event text inert
// on a page. Reports add the number formats their tables and charts need.
extension HTMLText {
    /// A number with thousands separators (`12,345`), for tables and chart labels.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// One decimal place (`0.4`), for rates in tables.
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
