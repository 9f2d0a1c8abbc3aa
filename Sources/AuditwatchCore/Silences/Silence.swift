/// A mute for a known noise (a pentest, a migration): alerts its matchers all accept, raised
/// between `startsAt` and `endsAt`, are recorded with status `silenced` and not delivered.
/// Expiring a silence ends it now; what it silenced stays silenced (nothing is resent).
public struct Silence: Sendable, Equatable, Codable {
    public var id: String
    public var matchers: [SilenceMatcher]
    /// Unix seconds: in force from `startsAt` up to (not including) `endsAt`.
    public var startsAt: Int64
    public var endsAt: Int64
    public var author: String
    public var comment: String

    /// Where a silence stands at a time.
    public enum State: String, Sendable {
        case pending, active, expired
    }

    public init(id: String, matchers: [SilenceMatcher], startsAt: Int64, endsAt: Int64, author: String, comment: String)
    {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.author = author
        self.comment = comment
    }

    public func state(at now: Int64) -> State {
        if now >= endsAt { return .expired }
        return now < startsAt ? .pending : .active
    }

    /// Whether this silence mutes `alert` at `now`: in force, and every matcher holds.
    public func silences(_ alert: Alert, at now: Int64) -> Bool {
        state(at: now) == .active && matchers.allSatisfy { $0.matches(alert) }
    }

    /// This silence ended at `now` (unchanged when it had ended already).
    public func expired(at now: Int64) -> Silence {
        var copy = self
        copy.endsAt = min(endsAt, now)
        copy.startsAt = min(startsAt, copy.endsAt)
        return copy
    }

    /// The first of `silences` that mutes `alert` at `now`.
    public static func first(in silences: [Silence], silencing alert: Alert, at now: Int64) -> Silence? {
        silences.first { $0.silences(alert, at: now) }
    }

    /// A new silence from what a person wrote (`silence add`, the API, the console's form):
    /// matchers as text, a duration like `2h`. Every problem is returned, each located.
    public static func make(
        id: String, matchers texts: [String], duration: String, author: String, comment: String, now: Int64
    ) -> (silence: Silence?, problems: [SilenceProblem]) {
        var problems: [SilenceProblem] = []
        var matchers: [SilenceMatcher] = []
        for (index, text) in texts.enumerated() {
            switch SilenceMatcher.parse(text) {
            case .success(let matcher): matchers.append(matcher)
            case .failure(var problem):
                problem.matcher = index
                problems.append(problem)
            }
        }
        if texts.isEmpty {
            problems.append(SilenceProblem(message: "a silence needs at least one matcher, like rule=brute_force_user"))
        } else if problems.isEmpty && matchers.allSatisfy(\.matchesEmpty) {
            // `level!=low` alone, or `rule=~.*`, would mute nearly everything.
            problems.append(
                SilenceProblem(
                    message: "every matcher also matches an empty value; give one that names what to silence, "
                        + "like rule=brute_force_user"))
        }
        let parsed = TimeSpan.parse(duration.trimmingCharacters())
        if let error = parsed.error { problems.append(SilenceProblem(message: "--for: " + error)) }
        if comment.trimmingCharacters().isEmpty {
            problems.append(SilenceProblem(message: "a silence needs a comment saying why (a ticket, 'pentest')"))
        }
        guard problems.isEmpty, let seconds = parsed.seconds else { return (nil, problems) }
        return (
            Silence(id: id, matchers: matchers, startsAt: now, endsAt: now + seconds, author: author, comment: comment),
            []
        )
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (the core has no Foundation).
    fileprivate func trimmingCharacters() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}

extension Silence {
    /// A fresh id, `sil_` and 16 hex digits from `generator` (the system's random source in use).
    public static func newID(using generator: inout some RandomNumberGenerator) -> String {
        "sil_" + String(generator.next() | (1 << 63), radix: 16)
    }

    /// A fresh id from the system's random source.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return newID(using: &generator)
    }
}
