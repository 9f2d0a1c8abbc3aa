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
        let paths: [String]
        switch segments[1] {
        case "id":
            paths = [
                "actor.session.user.id", "actor.api_key.user.id", "actor.api_key.service_account.id",
                "actor.api_key.id",
            ]
        case "email": paths = ["actor.session.user.email", "actor.api_key.user.email"]
        case "ip": paths = ["actor.session.ip_address"]
        default: return nil
        }
        self = .alternatives(paths.map { (try? FieldPath($0))! })
    }

    /// The derived names, for documentation and did-you-mean suggestions.
    static let names = ["details", "actor.id", "actor.email", "actor.ip"]
}
