/// Fields that auditwatch derives so rules and grouping read the same across actor kinds.
///
/// A literal key of the same name in the event always wins; derivation applies only when the
/// event does not carry the path itself.
/// - `details…`: the detail object keyed by the event's own type (`"login.failed": {...}`).
/// - `actor.id`: the person's or service account's id, else the API key id.
/// - `actor.email`: the person's email, from a session or a user API key.
/// - `actor.ip`: the session's IP address.
enum DerivedField: Hashable, Sendable {
    case details
    case alternatives([FieldPath])

    init?(segments: [String], bracketed: Bool) {
        guard !bracketed else { return nil }
        if segments.first == "details" {
            self = .details
            return
        }
        guard segments.count == 2, segments[0] == "actor" else { return nil }
        switch segments[1] {
        case "id": self = .alternatives(DerivedField.actorID)
        case "email": self = .alternatives(DerivedField.actorEmail)
        case "ip": self = .alternatives(DerivedField.actorIP)
        default: return nil
        }
    }

    // Built once: every rule that reads `actor.email` shares them (paths are immutable).
    private static let actorID = paths(
        "actor.session.user.id", "actor.api_key.user.id", "actor.api_key.service_account.id", "actor.api_key.id")
    private static let actorEmail = paths("actor.session.user.email", "actor.api_key.user.email")
    private static let actorIP = paths("actor.session.ip_address")

    private static func paths(_ texts: String...) -> [FieldPath] { texts.map { (try? FieldPath($0))! } }

    /// The derived names, for documentation and did-you-mean suggestions.
    static let names = ["details", "actor.id", "actor.email", "actor.ip"]
}
