/// An instant as people at a calendar's location read it, for `rules explain`:
/// `21:30 Tue 2026-03-17 UTC-04:00, America/New_York`.
public enum LocalTimeText {
    public static func text(_ instant: Int64, in zone: ZoneRules) -> String {
        let offset = zone.offset(at: instant)
        let local = instant + Int64(offset)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let stamp = UTCTime.iso8601(local)   // YYYY-MM-DDTHH:MM:SSZ, read as local wall time
        let date = stamp.prefix(10), clock = stamp.dropFirst(11).prefix(5)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        let zoneText = offset == 0 && zone.name == "UTC" ? "UTC"
            : "UTC\(sign)\(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes), \(zone.name)"
        return "\(clock) \(weekday) \(date) \(zoneText)"
    }
}
