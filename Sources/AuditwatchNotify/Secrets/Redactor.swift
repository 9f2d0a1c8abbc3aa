/// Removes every known secret from text before it is logged, stored or shown: whole values, and
/// for URLs their path and query (where Slack, Discord and Teams keep the credential).
public struct Redactor: Sendable {
    private var needles: [String] = []

    public init() {}

    public mutating func add(_ secret: Secret) {
        let value = secret.value
        guard value.count >= 4 else { return }
        needles.append(value)
        if let schemeEnd = value.range(of: "://"), let pathStart = value[schemeEnd.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) {
            let tail = String(value[pathStart...])
            if tail.count > 1 { needles.append(tail) }
            if let query = tail.firstIndex(of: "?") { needles.append(String(tail[query...])) }
        }
        // Longest first, so a URL is replaced whole before its parts.
        needles.sort { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var output = text
        for needle in needles where output.contains(needle) {
            output = output.replacingOccurrences(of: needle, with: "<redacted>")
        }
        return output
    }
}
