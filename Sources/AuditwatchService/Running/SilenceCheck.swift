import AuditwatchCore

/// The silences in force at one commit, read from the store (where `silence add`, the API and
/// the console write them), so a new silence takes effect at the next poll without a restart.
struct SilenceCheck {
    let silences: [Silence]
    let now: Int64

    init(store: any StateStore, now: Int64) throws(StateError) {
        silences = try store.silences(activeAt: now)
        self.now = now
    }

    /// The id of the silence that mutes `alert`, if one does.
    var silencedBy: (Alert) -> String? {
        let silences = self.silences, now = self.now
        return { alert in Silence.first(in: silences, silencing: alert, at: now)?.id }
    }

    /// Of `alerts`, those a silence mutes (alert id → silence id), for the checkpoint.
    func muted(_ alerts: [Alert]) -> [String: String] {
        guard !silences.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for alert in alerts {
            if let silence = Silence.first(in: silences, silencing: alert, at: now) { result[alert.id] = silence.id }
        }
        return result
    }
}
