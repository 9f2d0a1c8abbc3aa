/// A zone's offset from UTC and the abbreviation people read with it (`EDT`, `CET`, or a numeric
/// one such as `+03` where the zone has no letters).
public struct LocalTimeType: Sendable, Equatable {
    /// Seconds east of UTC.
    public let offset: Int
    public let abbreviation: String

    public init(offset: Int, abbreviation: String) {
        self.offset = offset
        self.abbreviation = abbreviation
    }

    /// `+03`, `-0330`: tzdata's form for zones without a letter abbreviation.
    static func numericAbbreviation(_ offset: Int) -> String {
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        let hourText = (hours < 10 ? "0" : "") + String(hours)
        return sign + hourText + (minutes == 0 ? "" : (minutes < 10 ? "0" : "") + String(minutes))
    }

    /// The abbreviation as read from a zone file, if it is safe to print (ASCII letters, digits,
    /// `+` and `-`, as tzdata uses), else the numeric form.
    static func printable(_ text: String, offset: Int) -> String {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2B || byte == 0x2D
        }
        return !text.isEmpty && text.utf8.count <= 16 && allowed ? text : numericAbbreviation(offset)
    }
}
