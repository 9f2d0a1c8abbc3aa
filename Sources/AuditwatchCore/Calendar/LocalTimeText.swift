/// An instant as people at a calendar's location read it, for `rules explain`:
/// `08:05 EDT Tue 2026-03-17, America/New_York` (the zone's own abbreviation; a numeric one such as
/// `+03` where the zone has no letters; the date because holidays and months are calendar terms).
public enum LocalTimeText {
    public static func text(_ instant: Int64, in zone: ZoneRules) -> String {
        let type = zone.localTimeType(at: instant)
        let local = instant + Int64(type.offset)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let stamp = UTCTime.iso8601(local)  // YYYY-MM-DDTHH:MM:SSZ, read as local wall time
        let date = stamp.prefix(10), clock = stamp.dropFirst(11).prefix(5)
        let place = zone.name == type.abbreviation ? "" : ", \(zone.name)"
        return "\(clock) \(type.abbreviation) \(weekday) \(date)\(place)"
    }
}
