import AuditwatchCore
import Foundation

/// Removes every known secret from text before it is logged, stored or shown: each value in
/// every form an echo may take (`SecretForms`: raw, JSON-escaped, percent-encoded, Base64 of a
/// URL's `user:password`), and for URLs their path, query and credentials.
public struct Redactor: Sendable {
    private var needles: [String] = []

    public init() {}

    public mutating func add(_ secret: Secret) {
        guard secret.value.count >= 4 else { return }
        needles += SecretForms.variants(of: secret.value)
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
