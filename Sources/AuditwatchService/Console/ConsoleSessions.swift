import Synchronization

/// Signed-in console sessions: a random id (the HttpOnly, SameSite=Strict cookie) and its own
/// CSRF token (a hidden field in every form), kept in memory: a restart signs everyone out.
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        var csrf: String
        var since: Int64
    }

    /// At most this many sessions, the oldest dropped first; each lasts 12 hours.
    static let capacity = 64
    static let lifetime: Int64 = 12 * 3600

    private let sessions = Mutex<[String: Session]>([:])

    /// A new session at `now`: (cookie value, CSRF token).
    func open(now: Int64) -> (id: String, csrf: String) {
        let id = ConsoleSessions.randomHex(), csrf = ConsoleSessions.randomHex()
        sessions.withLock { sessions in
            sessions = sessions.filter { now - $0.value.since < ConsoleSessions.lifetime }
            while sessions.count >= ConsoleSessions.capacity,
                let oldest = sessions.min(by: { $0.value.since < $1.value.since })
            {
                sessions[oldest.key] = nil
            }
            sessions[id] = Session(csrf: csrf, since: now)
        }
        return (id, csrf)
    }

    /// The CSRF token of session `id`, if it is open at `now`.
    func csrf(for id: String, now: Int64) -> String? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard now - session.since < ConsoleSessions.lifetime else {
                sessions[id] = nil
                return nil
            }
            return session.csrf
        }
    }

    func close(_ id: String) { sessions.withLock { _ = $0.removeValue(forKey: id) } }

    /// 32 random bytes as hex, from the system's secure random source.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

/// Equality in time independent of where two strings differ (token and CSRF checks).
enum ConstantTime {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        // Walk the expected length whatever was sent, so the time says nothing about the prefix.
        for index in right.indices {
            difference |= right[index] ^ (index < left.count ? left[index] : ~right[index])
        }
        return difference == 0 && !right.isEmpty
    }
}
