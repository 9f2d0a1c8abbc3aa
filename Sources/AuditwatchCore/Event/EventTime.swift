/// The time policy for event times (`effective_at`), in one place (docs/reliability.md):
///
/// - A time outside years 0001–9999 is held at the nearest end of that range, so no arithmetic
///   on times (windows, watermarks, formatting) can overflow; the raw JSON keeps what was sent.
/// - A time later than the clock plus `futureSkew` is processed and counted, and raises an
///   "event from the future" alert in the service, but never moves the poller's cursor or the
///   engine's watermark: one implausible event cannot hide or make late every event after it.
public enum EventTime {
    /// 0001-01-01T00:00:00Z.
    public static let earliest: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z.
    public static let latest: Int64 = 253_402_300_799
    /// How far ahead of this machine's clock an event may be dated and still count as now.
    public static let futureSkew: Int64 = 300

    /// `seconds` held inside `earliest...latest`.
    @inlinable
    public static func clamped(_ seconds: Int64) -> Int64 { min(max(seconds, earliest), latest) }

    /// The latest plausible event time at wall-clock time `now`.
    public static func bound(now: Int64) -> Int64 { now + futureSkew }
}
