/// Sigma timespans: `<integer><s|m|h|d>`; `w` is accepted with a portability warning; `M` and
/// `y` are refused because their length varies.
public enum TimeSpan {
    /// Seconds, or a message saying what is wrong.
    public static func parse(_ text: String) -> (seconds: Int64?, warning: String?, error: String?) {
        guard let unit = text.last, let number = Int64(text.dropLast()), number > 0 else {
            return (nil, nil, "'\(text)' is not a duration; write a whole number and a unit: 30s, 10m, 2h, 1d")
        }
        switch unit {
        case "s": return (number, nil, nil)
        case "m": return (number * 60, nil, nil)
        case "h": return (number * 3600, nil, nil)
        case "d": return (number * 86_400, nil, nil)
        case "w":
            return (
                number * 604_800, "'w' is not in Sigma's timespan units (s, m, h, d); other tools may reject it", nil
            )
        case "M", "y": return (nil, nil, "'\(unit)' varies in length; write the timespan in days")
        default: return (nil, nil, "unknown unit '\(unit)' in '\(text)'; use s, m, h or d")
        }
    }

    /// `90` → `1m30s`, for messages and summaries.
    public static func format(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
