import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A progress line on a terminal (events, rate, time left), redrawn at most a few times a
/// second; silent when standard error is not a terminal, so logs and CI stay clean.
public final class ProgressLine {
    private let enabled: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drew = false

    public init(force: Bool? = nil) { enabled = force ?? (isatty(2) == 1) }

    /// `fraction` is the share of the work done (0…1), when known.
    public func update(events: Int, fraction: Double?) {
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = Date()
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        var text = "\(events) events, \(Int(Double(events) / elapsed)) events/s"
        if let fraction, fraction > 0.001 {
            let left = elapsed / fraction - elapsed
            text += ", \(Int(fraction * 100))%, about \(ProgressLine.format(left)) left"
        }
        draw(text)
    }

    public func finish() {
        guard enabled, drew else { return }
        draw("")
    }

    private func draw(_ text: String) {
        drew = true
        let line = "\r\u{1B}[2K" + text
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    public static func format(_ seconds: Double) -> String {
        seconds >= 3600
            ? "\(Int(seconds / 3600))h\(Int(seconds.truncatingRemainder(dividingBy: 3600) / 60))m"
            : seconds >= 60
                ? "\(Int(seconds / 60))m\(Int(seconds.truncatingRemainder(dividingBy: 60)))s" : "\(Int(seconds))s"
    }
}
